# Panel obsługi: klienci, zmiany danych, faktury ręczne, sprzedawca, komunikaty.

staff-nav-customers = Klienci
staff-nav-new-customer = Nowy klient
staff-nav-profile-changes = Zmiany danych do akceptacji
staff-nav-tickets = Zgłoszenia
staff-nav-billing-run = Rozliczenia miesięczne
staff-nav-payments = Płatności
staff-nav-paper-invoices = Faktury do wysłania pocztą
staff-nav-news = Komunikaty i baner
staff-nav-series = Serie numeracji faktur
staff-nav-seller = Dane sprzedawcy

staff-home-title = Panel obsługi
staff-home-signed-in = Zalogowano jako { $name }
staff-home-pending-changes = { $count ->
    [one] Jedna zmiana danych czeka na decyzję.
    [few] { $count } zmiany danych czekają na decyzję.
   *[other] { $count } zmian danych czeka na decyzję.
}
staff-role-admin = administrator
staff-role-billing = rozliczenia
staff-role-support = obsługa klienta
staff-role-none = brak uprawnień

staff-save = Zapisz
staff-cancel = Anuluj
staff-retire = Wycofaj
staff-status = Status
staff-date = Data
staff-description = Opis
staff-monthly-fee = Opłata miesięczna
staff-indefinite = bezterminowo
staff-record-saved = Zapisano zmiany.

staff-customers-title = Klienci
staff-search-label = Szukaj klienta
staff-search-placeholder = nazwisko, firma, nr umowy, NIP, e-mail, telefon, IP, nr faktury
staff-search-button = Szukaj
staff-search-hint = Jedno pole: rodzaj rozpoznajemy po zapisie (np. 10.64.0.2 to adres IP, FV/2026/11/000001 to numer faktury).
staff-search-found = { $count ->
    [0] nic nie znaleziono
    [one] jeden klient
    [few] { $count } klientów
   *[other] { $count } klientów
}
staff-search-truncated = Pokazujemy pierwszych 50 wyników. Doprecyzuj wyszukiwanie, np. dodaj imię lub miasto.
staff-search-kind-customer-number = Szukano po numerze klienta
staff-search-kind-nip = Szukano po NIP
staff-search-kind-email = Szukano po adresie e-mail (i loginie PPPoE)
staff-search-kind-phone = Szukano po numerze telefonu
staff-search-kind-ip = Szukano po adresie IP
staff-search-kind-mac = Szukano po adresie MAC
staff-search-kind-document = Szukano po numerze faktury lub umowy
staff-search-kind-name = Szukano po nazwisku, imieniu lub nazwie firmy

staff-customer-number = Nr klienta
staff-customer-name = Klient
staff-customer-kind = Rodzaj klienta
staff-kind-person = osoba prywatna
staff-kind-company = firma
staff-customer-first-name = Imię
staff-customer-last-name = Nazwisko
staff-customer-person = Imię i nazwisko
staff-customer-company-name = Nazwa firmy
staff-customer-company-hint = Tylko dla firm; imię i nazwisko to wtedy osoba kontaktowa.
staff-customer-pesel-hint = { $last4 ->
    [none] Wymagany dla osób prywatnych. Przechowujemy tylko skrót i cztery ostatnie cyfry.
   *[other] Zapisany PESEL kończy się na { $last4 }. Zostaw puste, aby go nie zmieniać.
}
staff-customer-nip-hint = Wymagany dla firm, np. 526-000-12-46.
staff-customer-address = Adres
staff-customer-address-line = Ulica i numer
staff-customer-postal-code = Kod pocztowy
staff-customer-city = Miejscowość
staff-customer-correspondence = Adres do korespondencji (jeśli inny)
staff-customer-email = E-mail
staff-customer-phone = Telefon
staff-customer-language = Język korespondencji
staff-customer-bank-account = Indywidualny rachunek do wpłat
staff-customer-since = Klient od
staff-customer-new-title = Nowy klient
staff-customer-edit-title = Dane klienta
staff-customer-created = Dodano klienta.
staff-customer-saved = Zapisano dane klienta.

staff-card-edit = Edytuj dane
staff-card-new-invoice = Wystaw fakturę
staff-card-tickets-link = Zgłoszenia klienta
staff-card-pending-changes = { $count ->
    [one] Klient prosi o zmianę danych – czeka na decyzję.
   *[other] Klient prosi o zmiany danych ({ $count }) – czekają na decyzję.
}
staff-card-data = Dane klienta
staff-card-contracts = Umowy
staff-card-services = Usługi i dostęp do sieci
staff-card-endpoints = Dostęp (IP, MAC, PPPoE)
staff-card-invoices = Faktury
staff-card-ledger = Rozrachunki
staff-card-tickets = Zgłoszenia
staff-card-consents = Zgody
staff-card-audit = Historia zmian
staff-card-none = Brak.
staff-card-add-contract = Dodaj umowę
staff-card-add-service = Dodaj usługę
staff-card-add-endpoint = Dodaj dostęp
staff-card-balance = Saldo
staff-card-credit = Nadpłata
staff-card-to-pay = Do zapłaty
staff-card-correct = Korekta

staff-contract-number = Numer umowy
staff-contract-tariff = Taryfa
staff-contract-period = Okres
staff-contract-install-address = Adres instalacji
staff-contract-signed-on = Data zawarcia
staff-contract-starts-on = Początek świadczenia usług
staff-contract-ends-on = Koniec umowy
staff-contract-term = Okres zobowiązania (miesiące)
staff-contract-after-term = Po okresie zobowiązania
staff-after-term-indefinite = umowa przechodzi na czas nieokreślony
staff-after-term-terminate = umowa wygasa
staff-contract-billing-day = Dzień rozliczenia (1–28)
staff-contract-form-title = Umowa
staff-contract-status-active = aktywna
staff-contract-status-suspended = zawieszona
staff-contract-status-terminated = rozwiązana

staff-service-form-title = Usługa
staff-service-name = Usługa
staff-service-kind = Rodzaj usługi
staff-service-kind-internet = internet
staff-service-kind-tv = telewizja
staff-service-kind-phone = telefon
staff-service-kind-hosting = hosting
staff-service-kind-static_ip = stały adres IP
staff-service-kind-other = inna
staff-service-status-active = aktywna
staff-service-status-suspended = zawieszona
staff-service-status-ended = zakończona
staff-service-activated-on = Data aktywacji
staff-service-expires-on = Data wygaśnięcia
staff-service-no-contract = bez umowy

staff-endpoint-form-title = Dostęp do sieci
staff-endpoint-ipv4 = Adres IPv4
staff-endpoint-pppoe-login = Login PPPoE
staff-endpoint-pppoe-password = Hasło PPPoE
staff-endpoint-pppoe-password-hint = Zostaw puste, aby nie zmieniać zapisanego hasła.
staff-endpoint-access-enabled = Dostęp włączony
staff-endpoint-blocked = zablokowany

staff-invoice-number = Numer
staff-invoice-issue-date = Data wystawienia
staff-invoice-due-date = Termin płatności
staff-invoice-gross = Brutto
staff-invoice-paid = Zapłacono
staff-invoice-correction = korekta
staff-invoice-form-title = Faktura jednorazowa
staff-invoice-series = Seria numeracji
staff-invoice-no-contract = bez umowy
staff-invoice-payment-days = Termin płatności (dni)
staff-invoice-lines = Pozycje
staff-invoice-lines-hint = Puste wiersze pomijamy. Ilość i cenę można wpisać z przecinkiem, np. 1,5 i 199,00.
staff-invoice-prices-net = Nabywca jest firmą: ceny podaj netto, VAT naliczymy od sumy netto.
staff-invoice-prices-gross = Nabywca jest konsumentem: ceny podaj brutto, tak jak w ofercie.
staff-invoice-issue = Wystaw fakturę
staff-invoice-issued = Wystawiono fakturę { $number }.
staff-line-keep = Zostaw
staff-line-name = Nazwa
staff-line-quantity = Ilość
staff-line-unit = J.m.
staff-line-unit-price = Cena jednostkowa
staff-line-unit-price-net = Cena jedn. netto
staff-line-unit-price-gross = Cena jedn. brutto
staff-line-vat-rate = Stawka VAT
staff-correction-form-title = Korekta faktury
staff-correction-intro = Wpisz pozycje tak, jak powinny brzmieć; odznacz te, które mają zniknąć. Korekta pokaże stan przed i po oraz różnicę.
staff-correction-reason = Przyczyna korekty
staff-correction-lines = Pozycje po korekcie
staff-correction-issue = Wystaw korektę
staff-correction-issued = Wystawiono fakturę korygującą { $number }.

staff-payment-status-unpaid = do zapłaty
staff-payment-status-partly_paid = opłacona częściowo
staff-payment-status-overdue = po terminie
staff-payment-status-paid = opłacona
staff-payment-status-credit = korekta na minus
staff-ledger-charge = Należność
staff-ledger-payment = Wpłata
staff-ledger-balance = Saldo

staff-consent-kind = Zgoda
staff-consent-decision = Decyzja
staff-consent-text = Wersja treści
staff-consent-granted = udzielona
staff-consent-withdrawn = wycofana
staff-consent-in-force = obowiązuje

staff-audit-action = Zdarzenie
staff-audit-who = Kto
staff-audit-details = Szczegóły
staff-audit-actor-customer = klient
staff-audit-actor-staff = pracownik
staff-audit-actor-system = system
staff-audit-actor-anonymous = niezalogowany

staff-changes-title = Zmiany danych do akceptacji
staff-changes-intro = Abonenci proszą o zmianę danych, które są na umowie i fakturach. Sprawdź dokumenty, potem zaakceptuj (zmiana trafi do danych klienta) albo odrzuć z wyjaśnieniem.
staff-changes-empty = Nic nie czeka na decyzję.
staff-changes-field-name = Imię, nazwisko lub nazwa
staff-changes-field-address = Adres
staff-changes-field-nip = NIP
staff-changes-field-pesel = PESEL
staff-changes-what = Pole
staff-changes-before = Teraz
staff-changes-after = Po zmianie
staff-changes-part-first_name = Imię
staff-changes-part-last_name = Nazwisko
staff-changes-part-company_name = Nazwa firmy
staff-changes-part-address_line = Ulica i numer
staff-changes-part-postal_code = Kod pocztowy
staff-changes-part-city = Miejscowość
staff-changes-part-nip = NIP
staff-changes-part-pesel = PESEL
staff-changes-approve = Akceptuj
staff-changes-reject = Odrzuć
staff-changes-note = Wyjaśnienie dla klienta
staff-changes-approved = Zaakceptowano zmianę; dane klienta są zaktualizowane.
staff-changes-rejected = Odrzucono prośbę o zmianę.
staff-changes-not-pending = Ta prośba została już rozpatrzona lub wycofana.
staff-changes-invalid = Żądane dane są niepoprawne (np. zła suma kontrolna NIP albo ten PESEL ma już inny klient). Odrzuć prośbę z wyjaśnieniem.
staff-changes-note-required = Aby odrzucić prośbę, wpisz wyjaśnienie dla klienta.

staff-seller-title = Dane sprzedawcy
staff-seller-intro = Te dane trafiają na każdą nową fakturę. Wystawione faktury się nie zmieniają. Każda zmiana jest zapisywana w historii.
staff-seller-name = Pełna nazwa
staff-seller-short-name = Nazwa skrócona
staff-seller-website = Strona internetowa
staff-seller-bank-name = Bank
staff-seller-bank-account = Rachunek główny
staff-seller-account-prefix = Prefiks rachunków indywidualnych
staff-seller-account-prefix-hint = Numer rozliczeniowy banku (8 cyfr) i stała część od banku. Dotyczy klientów dodanych po zmianie.
staff-seller-saved = Zapisano dane sprzedawcy.

staff-announcements-title = Komunikaty i baner z ofertą
staff-news-new = Nowy komunikat
staff-banner-new = Nowy baner
staff-news-list = Aktualności i awarie
staff-banner-list = Banery z ofertą na pulpicie
staff-news-form-title = Komunikat
staff-banner-form-title = Baner z ofertą
staff-news-title = Tytuł
staff-news-body = Treść
staff-news-kind = Rodzaj
staff-news-kind-news = aktualność
staff-news-kind-outage = awaria
staff-news-kind-maintenance = prace serwisowe
staff-news-urgent = Pilne
staff-news-area = Obszar
staff-news-area-hint = Puste: wszyscy abonenci. Nazwa miejscowości: tylko abonenci z instalacją w tej miejscowości.
staff-area-all = wszyscy
staff-news-when = Kiedy
staff-news-published-at = Publikacja
staff-news-published-at-hint = Puste: od razu. Czas polski.
staff-news-starts-at = Początek awarii lub prac
staff-news-starts-at-hint = Wymagany dla awarii i prac serwisowych.
staff-news-ends-at = Koniec
staff-banner-starts-at = Pokazuj od
staff-banner-link = Odnośnik
staff-banner-link-hint = Strona portalu (np. /uslugi) albo adres https://
staff-announcement-state-live = widoczny
staff-announcement-state-scheduled = zaplanowany
staff-announcement-state-ended = zakończony
staff-announcement-state-retired = wycofany
staff-announcement-saved = Zapisano komunikat.
staff-announcement-retired = Wycofano; abonenci już go nie zobaczą.
staff-announcement-already-retired = Ten komunikat był już wycofany.

staff-error-required = To pole jest wymagane.
staff-error-kind = Wybierz: osoba prywatna albo firma.
staff-error-pesel = Numer PESEL jest niepoprawny: sprawdź, czy ma 11 cyfr i czy nie ma w nim literówki.
staff-error-pesel-taken = Klient z tym numerem PESEL już istnieje. Wyszukaj go zamiast zakładać nowego.
staff-error-nip = NIP jest niepoprawny: 10 cyfr z prawidłową cyfrą kontrolną, np. 526-000-12-46.
staff-error-postal-code = Kod pocztowy zapisz jako 00-000.
staff-error-correspondence = Adres do korespondencji podaj w całości (ulica, kod, miejscowość) albo zostaw pusty.
staff-error-email = Wpisz poprawny adres e-mail, np. jan.kowalski@example.com.
staff-error-phone = Wpisz numer telefonu: 9 cyfr albo numer z kodem kraju, np. +48 512 345 678.
staff-error-language = Wybierz język korespondencji.
staff-error-date = Wpisz datę w formacie RRRR-MM-DD.
staff-error-datetime = Wpisz datę i godzinę.
staff-error-amount = Wpisz kwotę w złotych, np. 59,99.
staff-error-contract-number = Numer umowy: 3–32 znaki, litery, cyfry i / - . _, np. UM/2026/00123.
staff-error-contract-number-taken = Umowa o tym numerze już istnieje.
staff-error-tariff = Wybierz taryfę.
staff-error-ends-before-start = Koniec nie może być wcześniej niż początek.
staff-error-term = Okres zobowiązania to od 1 do 60 miesięcy.
staff-error-choice = Wybierz jedną z podanych możliwości.
staff-error-billing-day = Dzień rozliczenia to liczba od 1 do 28.
staff-error-ipv4 = Wpisz adres IPv4, np. 10.64.0.2.
staff-error-ipv4-taken = Ten adres IP jest już przydzielony innemu dostępowi.
staff-error-mac = Adres MAC ma 12 cyfr szesnastkowych, np. 02:ab:cd:00:11:22.
staff-error-pppoe-login = Login PPPoE: 3–64 znaki, litery bez polskich znaków, cyfry oraz . _ - @.
staff-error-pppoe-login-taken = Ten login PPPoE jest już zajęty.
staff-error-quantity = Ilość musi być większa od zera (najwyżej 6 miejsc po przecinku).
staff-error-vat-rate = Wybierz stawkę VAT.
staff-error-payment-days = Termin płatności to od 0 do 90 dni.
staff-error-no-lines = Dodaj co najmniej jedną pozycję.
staff-error-too-large = Kwoty są zbyt duże.
staff-error-series = Wybierz aktywną serię numeracji (administrator ustawia je w „Serie numeracji”).
staff-error-reason = Podaj przyczynę korekty.
staff-error-nothing-changes = Korekta niczego nie zmienia: zmień co najmniej jedną pozycję.
staff-error-buyer-address = Klient nie ma pełnego adresu, a faktura musi go zawierać. Uzupełnij dane klienta.
staff-error-buyer-nip = Firma nie ma poprawnego NIP. Uzupełnij dane klienta.
staff-error-no-seller = Brak danych sprzedawcy. Administrator musi je uzupełnić.
staff-error-regon = REGON ma 9 albo 14 cyfr.
staff-error-nrb = Numer rachunku jest niepoprawny: 26 cyfr z prawidłowymi cyframi kontrolnymi.
staff-error-account-prefix = Prefiks rachunków: numer rozliczeniowy banku (8 cyfr z prawidłową cyfrą kontrolną) i najwyżej 12 dalszych cyfr.
staff-error-account-prefix-too-long = Prefiks jest za długi: numery klientów nie zmieszczą się w rachunku.
staff-error-area = Nazwa obszaru jest za długa (najwyżej 80 znaków).
staff-error-title = Podaj tytuł (najwyżej 200 znaków).
staff-error-link = Odnośnik musi prowadzić do strony portalu (np. /uslugi) albo zaczynać się od https://.

# One truth for money: subscription periods
staff-invoice-subscription-period = Abonament za miesiąc (RRRR-MM)
staff-invoice-subscription-period-hint = Opcjonalnie: dolicz abonament usług wybranej umowy za ten miesiąc (jak w rozliczeniu miesięcznym). Miesiąc już zafakturowany zostanie odrzucony.
staff-error-period = Podaj miesiąc w postaci RRRR-MM, np. 2026-12.
staff-error-subscription-contract = Wybierz umowę, której abonament ma być zafakturowany.
staff-error-nothing-to-bill = Ta umowa nie ma w tym miesiącu żadnej usługi do zafakturowania.
staff-error-already-invoiced = Abonament tej umowy za ten miesiąc jest już zafakturowany. Aby go wystawić ponownie, najpierw anuluj pozycję abonamentu fakturą korygującą.
# What an audit entry records, in words (an event not listed shows its code).
staff-audit-event = { $action ->
    [activation] Aktywacja konta
    [bank_import_committed] Zaksięgowano wyciąg bankowy
    [bank_import_discarded] Odrzucono wyciąg bankowy
    [bank_transaction_assigned] Przypisano przelew
    [banner_changed] Zmieniono baner
    [banner_created] Dodano baner
    [banner_retired] Wycofano baner
    [billing_run_failed] Rozliczenie nie powiodło się
    [billing_run_finished] Zakończono rozliczenie
    [billing_run_started] Rozpoczęto rozliczenie
    [canned_response_changed] Zmieniono gotową odpowiedź
    [canned_response_created] Dodano gotową odpowiedź
    [charge_queued] Dodano opłatę do rozliczenia
    [charge_removed] Usunięto opłatę z rozliczenia
    [consent_granted] Udzielono zgody
    [consent_withdrawn] Wycofano zgodę
    [contact_access_revoked] Odebrano dostęp osobie kontaktowej
    [contact_invitation_revoked] Wycofano zaproszenie
    [contact_invited] Zaproszono osobę kontaktową
    [contact_registered] Osoba kontaktowa założyła konto
    [contract_changed] Zmieniono umowę
    [contract_created] Dodano umowę
    [correction_issued] Wystawiono korektę
    [customer_changed] Zmieniono dane klienta
    [customer_created] Dodano klienta
    [email_change_requested] Poproszono o zmianę e-maila
    [email_changed] Zmieniono e-mail
    [endpoint_changed] Zmieniono punkt dostępowy
    [endpoint_created] Dodano punkt dostępowy
    [invoice_issued] Wystawiono fakturę
    [invoice_posted] Wysłano fakturę pocztą
    [lockout] Zablokowano logowanie po nieudanych próbach
    [login_failure] Nieudane logowanie
    [login_success] Zalogowanie
    [logout] Wylogowanie
    [news_changed] Zmieniono komunikat
    [news_created] Dodano komunikat
    [mailing_sent] Wysłano wiadomość do listy mailingowej
    [news_retired] Wycofano komunikat
    [other_sessions_ended] Zakończono inne sesje
    [password_changed] Zmieniono hasło
    [password_check_failed] Błędne hasło przy potwierdzeniu
    [password_reset] Ustawiono nowe hasło
    [password_reset_requested] Poproszono o reset hasła
    [password_reset_unknown_email] Reset hasła dla nieznanego e-maila
    [payment_recorded] Zaksięgowano wpłatę
    [payment_reversed] Cofnięto wpłatę
    [dunning_letter_sent] Wysłano list windykacyjny
    [refund_sent] Wysłano zwrot nadpłaty
    [pppoe_password_shown] Pokazano hasło PPPoE
    [preferences_changed] Zmieniono ustawienia
    [profile_change_approved] Zatwierdzono zmianę danych
    [profile_change_rejected] Odrzucono zmianę danych
    [profile_change_requested] Zgłoszono zmianę danych
    [profile_change_withdrawn] Wycofano zmianę danych
    [profile_contact_changed] Zmieniono dane kontaktowe
    [registration] Rejestracja
    [registration_identity_mismatch] Rejestracja: dane się nie zgadzają
    [seller_changed] Zmieniono dane sprzedawcy
    [ksef_settings_changed] Zmieniono ustawienia KSeF
    [ksef_resend] Ponowiono wysyłkę faktury do KSeF
    [ksef_offline_certificate_stored] Zapisano certyfikat KSeF typu Offline (KOD II)
    [series_changed] Zmieniono serię numeracji
    [series_created] Dodano serię numeracji
    [service_changed] Zmieniono usługę
    [service_created] Dodano usługę
    [staff_login_failure] Nieudane logowanie pracownika
    [staff_login_success] Zalogowanie pracownika
    [ticket_assigned] Przydzielono zgłoszenie
    [ticket_closed] Zamknięto zgłoszenie
    [ticket_customer_reply] Odpowiedź klienta w zgłoszeniu
    [ticket_internal_note] Notatka wewnętrzna w zgłoszeniu
    [ticket_opened] Otwarto zgłoszenie
    [ticket_reopened] Ponownie otwarto zgłoszenie
    [ticket_staff_reply] Odpowiedź biura w zgłoszeniu
    [ticket_status_changed] Zmieniono status zgłoszenia
    [two_factor_disable_refused] Odmowa wyłączenia logowania dwuetapowego
    [two_factor_disabled] Wyłączono logowanie dwuetapowe
    [two_factor_enable_refused] Odmowa włączenia logowania dwuetapowego
    [two_factor_enabled] Włączono logowanie dwuetapowe
   *[other] { $action }
}
staff-consent-kind-einvoice = e-faktura
staff-consent-kind-marketing = lista mailingowa (oferty e-mailem)
staff-consent-kind-terms = regulamin
staff-consent-kind-recurring_payments = płatność automatyczna kartą (regulamin płatności cyklicznych)

staff-nav-audit-log = Dziennik zdarzeń
staff-audit-log-title = Dziennik zdarzeń
staff-audit-log-intro = Kto, co, kiedy i skąd: logowania, zmiany danych, faktury, wpłaty, zgłoszenia. Najnowsze na górze, najwyżej { $limit } na stronie; plik CSV zawiera wszystkie pasujące (do 50 000).
staff-audit-log-filter = Zawężenie dziennika
staff-audit-log-anyone = każdy
staff-audit-log-any-kind = każde
staff-audit-log-customer = Nr klienta
staff-audit-log-from = Od dnia
staff-audit-log-to = Do dnia
staff-audit-log-show = Pokaż
staff-audit-log-export = Pobierz CSV
staff-audit-log-empty = Brak zdarzeń dla tego zawężenia.
staff-audit-log-when = Kiedy
staff-audit-log-code = Kod zdarzenia
staff-audit-log-ip = Adres IP
staff-audit-log-error-number = Numer musi być liczbą całkowitą większą od zera; to pole pominięto.
staff-audit-log-error-date = Datę podaj jako RRRR-MM-DD; to pole pominięto.
staff-correction-overpaid = Nadpłata po korekcie
staff-correction-overpaid-hint = Gdy korekta obniża fakturę już zapłaconą, nadpłata zostaje zaliczona na poczet należności klienta albo zwrócona na jego rachunek.
staff-correction-overpaid-credit = Zaliczyć na poczet należności
staff-correction-overpaid-refund = Zwrócić na rachunek klienta
staff-correction-refund-account = Rachunek klienta do zwrotu
staff-correction-refund-account-hint = 26 cyfr (NRB); potrzebny tylko przy zwrocie.
staff-error-overpaid = Wybierz, co zrobić z nadpłatą.
staff-error-refund-account = Podaj poprawny numer rachunku klienta (26 cyfr), na który wrócą pieniądze.
