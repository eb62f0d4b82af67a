# The subscriber's portal: dashboard, contracts, services, domains, notices, news, profile.

dashboard-hello = Dzień dobry, { $name }
dashboard-customer-number = Numer klienta
dashboard-bank-account = Twój numer rachunku do wpłat
dashboard-offer = Oferta
dashboard-offer-more = Szczegóły oferty
dashboard-tile-services = { $count ->
    [one] aktywna usługa
    [few] aktywne usługi
   *[many] aktywnych usług
}
dashboard-tile-domains = { $count ->
    [one] domena
    [few] domeny
   *[many] domen
}
dashboard-tile-unpaid = { $count ->
    [one] nieopłacona faktura
    [few] nieopłacone faktury
   *[many] nieopłaconych faktur
}
dashboard-tile-overdue = po terminie: { $count }
dashboard-tile-tickets = { $count ->
    [one] otwarte zgłoszenie
    [few] otwarte zgłoszenia
   *[many] otwartych zgłoszeń
}
dashboard-shortcuts = Na skróty
dashboard-report-fault = Zgłoś awarię
dashboard-pay = Zapłać
dashboard-last-invoice = Pobierz fakturę { $number }
dashboard-payments = Ostatnie wpłaty
dashboard-payments-none = Nie ma jeszcze wpłat.
dashboard-payments-all = Saldo i wszystkie wpłaty
dashboard-tickets = Ostatnie zgłoszenia
dashboard-tickets-none = Nie masz zgłoszeń. Gdy coś nie działa, zgłoś to przez „Zgłoś awarię”.

notices-none = Nic nie wymaga teraz Twojej uwagi.
notices-all = Wszystkie powiadomienia
notice-overdue-title = Faktura { $number } jest po terminie
notice-overdue-body = Do zapłaty { $amount }, termin minął { $due } ({ $days ->
    [one] { $days } dzień temu
   *[other] { $days } dni temu
}).
notice-overdue-action = Zapłać teraz
notice-service-title = { $days ->
    [0] Usługa „{ $name }” wygasa dziś
    [one] Usługa „{ $name }” wygasa jutro
   *[other] Usługa „{ $name }” wygasa za { $days } dni
}
notice-service-body = Wygasa { $date }. Przedłuż ją, aby uniknąć przerwy.
notice-service-renews = Odnowi się automatycznie { $date }.
notice-service-action = Zarządzaj usługą
notice-domain-title = { $days ->
    [0] Domena { $name } wygasa dziś
    [one] Domena { $name } wygasa jutro
   *[other] Domena { $name } wygasa za { $days } dni
}
notice-domain-body = Wygasa { $date }. Włącz odnawianie albo odnów ją, aby jej nie stracić.
notice-domain-renews = Odnowi się automatycznie { $date }.
notice-domain-action = Przejdź do domen
notice-contract-title = { $days ->
    [0] Umowa { $number } kończy się dziś
    [one] Umowa { $number } kończy się jutro
   *[other] Umowa { $number } kończy się za { $days } dni
}
notice-contract-continues = Okres umowy kończy się { $date }; potem umowa trwa dalej na czas nieokreślony. Zapytaj o nową ofertę.
notice-contract-terminates = Umowa wygasa { $date }. Skontaktuj się z nami, aby ją przedłużyć.
notice-contract-action = Szczegóły umowy
notice-balance-title = Niskie saldo przedpłaty
notice-balance-body = Na koncie masz { $credit } nadpłaty, mniej niż { $threshold }. Doładuj konto, aby kolejne opłaty zostały pokryte.
notice-balance-action = Zobacz saldo

news-none = Nie ma teraz wiadomości ani komunikatów o awariach.
news-kind-news = Aktualność
news-kind-outage = Awaria
news-kind-maintenance = Prace serwisowe
news-area = obszar: { $area }
news-confirm = Przeczytałem(-am), potwierdzam
news-confirmed = Dziękujemy, komunikat oznaczono jako przeczytany.

contracts-none = Nie masz jeszcze umów w e-BOK.
contract-number = Umowa { $number }
contract-status-active = aktywna
contract-status-suspended = zawieszona
contract-status-terminated = zakończona
contract-holder = Abonent
contract-tariff = Taryfa
contract-speed = { $down }/{ $up } Mb/s
contract-fee = Abonament miesięczny (brutto)
contract-billing-day = Dzień rozliczenia
contract-billing-day-value = { $day }. dnia miesiąca
contract-signed = Zawarta
contract-term = Okres
contract-term-fixed = na czas określony: { $start } – { $end } ({ $months } mies.)
contract-term-indefinite = na czas nieokreślony od { $start }
contract-after-term-indefinite = Po okresie umowa trwa dalej na czas nieokreślony.
contract-after-term-terminate = Po okresie umowa wygasa.
contract-install-address = Adres instalacji
contract-services = Usługi
contract-documents = Dokumenty
contract-documents-none = Brak dokumentów dołączonych do umowy w e-BOK.

services-none = Nie masz jeszcze usług.
service-contract = Umowa
services-name = Usługa
services-kind = Rodzaj
services-status = Status
services-activated = Aktywna od
services-expires = Ważna do
services-price = Cena miesięczna
services-access = Dostęp
services-renews = odnawia się
services-no-expiry = bezterminowo (w ramach umowy)
services-renewal-price = odnowienie { $price }
services-renewal = Odnawianie
services-renewal-on = Usługa odnowi się automatycznie.
services-renewal-off = Usługa nie odnowi się sama.
services-renewal-turn-on = Włącz odnawianie
services-renewal-turn-off = Wyłącz odnawianie
services-pppoe-wrong-password = Hasło do konta jest nieprawidłowe.
services-pppoe-throttled = Zbyt wiele nieudanych prób.
renewal-on = Automatyczne odnawianie włączone.
renewal-off = Automatyczne odnawianie wyłączone.
service-kind-internet = Internet
service-kind-tv = Telewizja
service-kind-phone = Telefon
service-kind-hosting = Hosting
service-kind-static_ip = Stały adres IP
service-kind-other = Inna
service-status-active = aktywna
service-status-suspended = zawieszona
service-status-ended = zakończona
endpoints = Punkty dostępu
endpoints-none = Ta usługa nie ma punktów dostępu.
endpoint-ipv4 = Adres IPv4
endpoint-ipv6 = Prefiks IPv6
endpoint-dynamic = przydzielany automatycznie
endpoint-mac = Adres MAC
endpoint-pppoe-login = Login PPPoE
endpoint-pppoe-password = Hasło PPPoE
endpoint-pppoe-reveal-label = Hasło do konta e-BOK
endpoint-pppoe-reveal = Pokaż hasło PPPoE
endpoint-address = Adres instalacji
endpoint-access-on = włączony
endpoint-access-off = wyłączony
endpoint-access-off-help = skontaktuj się z Biurem Obsługi lub opłać zaległe faktury.

domains-none = Nie masz jeszcze domen.
domains-name = Domena
domains-registered = Zarejestrowana
domains-expires = Wygasa
domains-renewal-price = Cena odnowienia
domains-expiring-soon = { $days ->
    [one] zostaje { $days } dzień
   *[other] zostaje { $days } dni
}
domains-auto-renew-on = Odnawia się.
domains-auto-renew-off = Nie odnawia się.
domain-status-active = aktywna
domain-status-expired = wygasła
domain-status-pending = w rejestracji
domain-status-transferred_out = przeniesiona

profile-data = Dane
profile-customer-number = Numer klienta
profile-name = Imię i nazwisko
profile-first-name = Imię
profile-last-name = Nazwisko
profile-company-name = Nazwa firmy
profile-legal-address = Adres zamieszkania / siedziby (na fakturach)
profile-email = E-mail
profile-email-change = zmień
profile-pending = Zmiany czekające na zatwierdzenie
profile-pending-since = zgłoszone { $date }
profile-withdraw = Wycofaj
profile-field-name = Imię i nazwisko / nazwa
profile-field-pesel = PESEL
profile-field-nip = NIP
profile-field-address = Adres
profile-contact = Kontakt
profile-contact-help = Telefon i adres do korespondencji zmieniasz od razu.
profile-phone = Telefon
profile-correspondence-address = Adres do korespondencji
profile-correspondence-help = Zostaw puste, jeśli ma być taki sam jak adres zamieszkania.
profile-address-line = Ulica i numer
profile-postal-code = Kod pocztowy
profile-city = Miejscowość
profile-save = Zapisz
profile-request-change = Zmiana danych z umowy
profile-request-help = Zmianę imienia i nazwiska, PESEL, NIP lub adresu na fakturach sprawdza Biuro Obsługi; do tego czasu obowiązują dotychczasowe dane.
profile-send-request = Wyślij do zatwierdzenia
profile-settings = Ustawienia
profile-notifications = Powiadomienia e-mail
profile-notify-invoices = nowe faktury
profile-notify-reminders = przypomnienia o płatnościach i o terminach odnowienia usług, domen i umów
profile-notify-outages = awarie i prace serwisowe
profile-notify-tickets = odpowiedzi na zgłoszenia
profile-consents = Zgody
profile-consent-einvoice = Zgadzam się na otrzymywanie faktur w formie elektronicznej (e-faktura).
profile-consent-marketing = Zapisz mnie na listę mailingową: informacje o ofertach i promocjach e-mailem. Z każdej wiadomości wypiszę się jednym kliknięciem.
profile-consent-given = Udzielona { $date } (treść { $version }).
profile-consent-withdrawn = Wycofana { $date }.
profile-consent-text-version = Treść zgody: { $version }.
profile-contact-saved = Dane kontaktowe zapisane.
profile-change-requested = Wniosek o zmianę danych wysłany. Zmiana zacznie obowiązywać po zatwierdzeniu.
profile-change-withdrawn = Wniosek wycofany.
profile-preferences-saved = Ustawienia zapisane.
profile-error-phone = Podaj numer telefonu: 9–15 cyfr, np. +48 601 234 567.
profile-error-address-line = Podaj ulicę i numer (do 120 znaków).
profile-error-postal-code = Kod pocztowy ma postać 00-000.
profile-error-city = Podaj miejscowość (do 60 znaków).
profile-error-first-name = Podaj imię (do 60 znaków).
profile-error-last-name = Podaj nazwisko (do 80 znaków).
profile-error-company-name = Podaj nazwę firmy (do 200 znaków).
profile-error-pesel = To nie jest poprawny numer PESEL.
profile-error-nip = To nie jest poprawny numer NIP.
