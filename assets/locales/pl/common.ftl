# Shared by every page: layout, navigation, counts.

site-tagline = elektroniczne Biuro Obsługi Klienta
site-tagline-staff = panel obsługi
skip-to-content = Przejdź do treści
nav-main = Nawigacja główna
nav-menu = Menu
nav-dashboard = Pulpit
nav-contracts = Umowy
nav-services = Usługi
nav-domains = Domeny
nav-invoices = Faktury
nav-balance = Saldo
nav-tickets = Zgłoszenia
nav-news = Wiadomości
nav-notices = Powiadomienia
nav-profile = Moje dane
nav-contacts = Kontakty
nav-security = Bezpieczeństwo
nav-start = Start
nav-log-in = Zaloguj się
nav-register = Załóż konto
nav-log-out = Wyloguj
nav-staff-home = Panel
nav-staff-paper = Faktury papierowe
nav-staff-series = Serie numeracji
footer-office = Biuro obsługi
footer-email = E-mail
language-label = Język
language-pl = Polski
language-en = English

count-services = { $count ->
    [one] { $count } usługa
    [few] { $count } usługi
   *[many] { $count } usług
}
count-domains = { $count ->
    [one] { $count } domena
    [few] { $count } domeny
   *[many] { $count } domen
}
count-invoices = { $count ->
    [one] { $count } faktura
    [few] { $count } faktury
   *[many] { $count } faktur
}
count-tickets = { $count ->
    [one] { $count } zgłoszenie
    [few] { $count } zgłoszenia
   *[many] { $count } zgłoszeń
}
count-days = { $count ->
    [one] { $count } dzień
   *[other] { $count } dni
}
