# Staff: payments, bank statement import, review queue (/staff/platnosci).

payments-title = Płatności
payments-nav = Płatności
payments-queue-link = { $count ->
    [one] wpłata do przypisania
    [few] wpłaty do przypisania
   *[many] wpłat do przypisania
}
payments-find-title = Konto klienta
payments-customer-number = Numer klienta
payments-find-button = Pokaż rozliczenia
payments-import-title = Import wyciągu bankowego
payments-import-file = Plik wyciągu (MT940, MT942, CSV z banku lub Elixir-0)
payments-import-format = Format
payments-import-format-auto = rozpoznaj sam
payments-import-button = Wczytaj i pokaż podgląd
payments-import-help-title = Jakie pliki przyjmujemy?
payments-import-help-mt940 = MT940 i MT942 z banku (pliki .sta, .mt940, .txt), także w kopercie SWIFT i z kilkoma wyciągami w jednym pliku (księgujemy tylko rachunki w PLN, pozostałe pokazujemy jako pominięte). Kodowanie UTF-8, Windows-1250 lub ISO-8859-2. Tytuł przelewu czytamy z pól ~20–~25 (bez znaków wypełnienia), nadawcę z ~32/~33 albo ~27/~28, jego rachunek z ~38; rachunek indywidualny klienta z dodatkowych informacji linii :61: albo z „ID IPH:” (mBank).
payments-import-help-csv = CSV: eksport historii rachunku z PKO BP, mBanku, ING Banku Śląskiego, Santandera, Pekao lub Millennium rozpoznajemy po nagłówku. Inny plik: jedna operacja w wierszu, pola rozdzielone średnikiem, kwoty z przecinkiem lub kropką (także „1.234,56”; ujemne to obciążenia), kodowanie UTF-8, Windows-1250 lub ISO-8859-2. Kolumny w tej kolejności:
payments-csv-date = data księgowania, np. 2026-11-05 lub 05.11.2026
payments-csv-amount = kwota, np. 120,00; ujemna dla wypłat (te pomijamy)
payments-csv-title = tytuł przelewu
payments-csv-payer = nadawca (może być pusty)
payments-csv-account-to = rachunek, na który wpłynęły pieniądze – indywidualny rachunek klienta (może być pusty)
payments-csv-reference = identyfikator operacji w banku (może być pusty)
payments-import-help-header = Pierwszy wiersz może zawierać nazwy kolumn (angielskie jak wyżej albo polskie: data, kwota, tytuł, nadawca, rachunek, referencja, rachunek_nadawcy) – wtedy kolejność jest dowolna, a wymagane są tylko data, kwota i tytuł.
payments-import-help-matching = Dopasowanie: najpierw rachunek indywidualny klienta, potem numer faktury w tytule, potem numer klienta w tytule („klient 1234”). Niedopasowane wpłaty trafiają do kolejki do przypisania. Każda operacja jest księgowana raz, nawet gdy ten sam plik wczytasz ponownie; wpłata bez numeru referencyjnego banku, która wygląda jak zaksięgowana wcześniej, czeka w kolejce jako możliwy duplikat – możesz ją zaksięgować mimo to.
payments-import-help-elixir = Elixir-0: plik wpływów z banku (np. do identyfikacji płatności masowych), jedna wpłata w wierszu, kwota w groszach.
payments-import-encoding = Kodowanie znaków
payments-import-encoding-auto = rozpoznaj samo
payments-batches-title = Ostatnie importy
payments-batch-status-preview = podgląd, niezatwierdzony
payments-batch-status-committed = zaksięgowany
payments-batch-status-discarded = odrzucony
payments-manual-title = Wpłata ręczna
payments-amount = Kwota
payments-amount-hint = np. 89,99
payments-received-on = Data wpłaty
payments-method = Forma
payments-method-transfer = przelew
payments-method-cash = gotówka
payments-method-card = karta
payments-payment-title = Tytuł lub opis
payments-manual-button = Zaksięguj wpłatę
payments-recent-title = Ostatnio zaksięgowane wpłaty
payments-none = Brak wpłat.
payments-col-date = Data
payments-col-customer = Klient
payments-col-title = Tytuł
payments-col-source = Źródło
payments-col-amount = Kwota
payments-col-number = Numer
payments-col-due = Termin
payments-col-gross = Brutto
payments-col-paid = Zapłacono
payments-col-outstanding = Do zapłaty
payments-col-settles = Rozliczenie
payments-col-entry = Operacja
payments-col-charge = Należność
payments-col-payment = Wpłata
payments-col-balance = Saldo
payments-col-line = Wiersz
payments-col-payer = Nadawca
payments-col-status = Wynik
payments-col-assign = Przypisz do klienta
payments-reversed = cofnięta
payments-source-manual = wpłata ręczna
payments-source-import = wyciąg bankowy
payments-source-online = płatność online
payments-source-demo = dane demonstracyjne
payments-reason-account = rachunek indywidualny
payments-reason-invoice_number = numer faktury w tytule
payments-reason-customer_number = numer klienta w tytule
payments-reason-manual = przypisana ręcznie
payments-customer-title = Rozliczenia klienta nr { $number }
payments-back = ← Płatności
payments-individual-account = rachunek indywidualny
payments-balance-owed = do zapłaty
payments-balance-overpaid = nadpłata
payments-balance = saldo
payments-outstanding = nieopłacone faktury
payments-credit = nadpłata do rozliczenia z kolejną fakturą
payments-invoices-title = Faktury
payments-no-invoices = Klient nie ma faktur.
payments-history-title = Wpłaty
payments-unallocated = nierozliczone:
payments-reversal-reason = Powód cofnięcia
payments-reverse-button = Cofnij wpłatę
payments-ledger-title = Kartoteka
payments-preview-title = Import: { $file }
payments-preview-matched = { $count ->
    [one] dopasowana wpłata
    [few] dopasowane wpłaty
   *[many] dopasowanych wpłat
}
payments-preview-unmatched = { $count ->
    [one] wpłata do przypisania ręcznie
    [few] wpłaty do przypisania ręcznie
   *[many] wpłat do przypisania ręcznie
}
payments-preview-duplicates = { $count ->
    [one] operacja już zaimportowana
    [few] operacje już zaimportowane
   *[many] operacji już zaimportowanych
}
payments-preview-debits = { $count ->
    [one] obciążenie (pomijamy)
    [few] obciążenia (pomijamy)
   *[many] obciążeń (pomijamy)
}
payments-preview-note = To jest podgląd: nic nie zostało jeszcze zaksięgowane. Sprawdź dopasowania i zatwierdź import.
payments-commit-button = Zatwierdź i zaksięguj
payments-discard-button = Odrzuć import
payments-status-matched = dopasowana
payments-status-unmatched = do przypisania
payments-status-assigned = przypisana ręcznie
payments-status-duplicate = już zaimportowana
payments-status-debit = obciążenie
payments-status-held = możliwy duplikat, wstrzymana
payments-queue-title = Wpłaty do przypisania
payments-queue-intro = Wpłaty z wyciągów, których nie udało się dopasować do klienta. Sprawdź tytuł i nadawcę, wpisz numer klienta – wpłata zostanie zaksięgowana i rozliczona z jego najstarszymi fakturami.
payments-queue-empty = Nie ma wpłat do przypisania.
payments-queue-total = { $count ->
    [one] { $count } wpłata na kwotę
    [few] { $count } wpłaty na łączną kwotę
   *[many] { $count } wpłat na łączną kwotę
}
payments-sent-to = na rachunek
payments-assign-button = Przypisz
payments-held-title = Możliwe duplikaty
payments-held-intro = Wpłaty bez numeru referencyjnego banku, które wyglądają jak zaksięgowane wcześniej (ten sam rachunek, dzień, kwota i tytuł) w innym pliku. Nic nie zostało z nimi zrobione. Jeśli to osobne przelewy, zaksięguj je.
payments-held-button = Zaksięguj mimo to
payments-held-for = dla klienta
payments-preview-held = { $count ->
    [one] możliwy duplikat wstrzymany
    [few] możliwe duplikaty wstrzymane
   *[many] możliwych duplikatów wstrzymanych
}
payments-preview-skipped = Pominięto rachunek { $account } w walucie { $currency } (operacje: { $count }, od wiersza { $line }); księgujemy tylko PLN.
payments-preview-layout = układ: { $layout }
payments-encoding-utf8 = UTF-8
payments-encoding-windows1250 = Windows-1250
payments-encoding-iso8859_2 = ISO-8859-2

payments-error-unknown-customer = Nie ma klienta o takim numerze.
payments-error-manual-amount = Podaj kwotę większą od zera, np. 89,99.
payments-error-manual-date = Podaj datę wpłaty w postaci RRRR-MM-DD.
payments-error-manual-future = Data wpłaty nie może być z przyszłości.
payments-error-manual-method = Wybierz formę wpłaty: przelew, gotówka lub karta.
payments-error-manual-title = Tytuł może mieć najwyżej 200 znaków.
payments-flash-recorded = Zaksięgowano wpłatę. Nadpłata do rozliczenia: { $credit }.
payments-flash-reversed = Wpłata została cofnięta, rozliczenia klienta przeliczono od nowa.
payments-error-reversal-reason = Podaj powód cofnięcia wpłaty.
payments-error-already-reversed = Ta wpłata jest już cofnięta.
payments-error-empty = Plik jest pusty.
payments-error-not-text = To nie jest plik tekstowy w UTF-8, Windows-1250 ani ISO-8859-2 (może UTF-16 albo plik binarny?). Zapisz wyciąg jako tekst i spróbuj ponownie.
payments-error-no-transactions = W pliku nie ma żadnych operacji.
payments-error-not-mt940 = To nie jest wyciąg MT940 (brak linii :61:). Jeśli to CSV, wybierz format CSV.
payments-error-bad-date = Wiersz { $line }: „{ $value }” nie jest datą.
payments-error-bad-date-column = Wiersz { $line }, kolumna { $column }: „{ $value }” nie jest datą.
payments-error-bad-amount = Wiersz { $line }: „{ $value }” nie jest kwotą.
payments-error-bad-amount-column = Wiersz { $line }, kolumna { $column }: „{ $value }” nie jest kwotą.
payments-error-missing-field = Wiersz { $line }: brak pola { $field }.
payments-error-no-pln-account = W pliku nie ma rachunku w PLN (pominięte waluty: { $currencies }); księgujemy tylko PLN.
payments-error-not-elixir = To nie jest plik Elixir-0 (wiersz nie zaczyna się od typu płatności i daty). Wybierz właściwy format.
payments-error-unclosed-quote = Wiersz { $line }, kolumna { $column }: cudzysłów otwarty w tym miejscu nie jest nigdzie zamknięty.
payments-error-bad-entry = Wiersz { $line }: nie da się odczytać operacji :61:.
payments-error-unknown-column = Nieznana kolumna w nagłówku CSV: „{ $column }”.
payments-error-column-count = Wiersz { $line }: oczekiwano { $expected } kolumn rozdzielonych średnikiem, jest { $found }.
payments-error-too-many-lines = Plik ma więcej niż { $max } operacji – podziel go na mniejsze.
payments-error-not-in-preview = Ten import został już zatwierdzony albo odrzucony.
payments-error-conflict = W międzyczasie inny import zaksięgował część tych operacji. Wczytaj plik ponownie.
payments-error-import-failed = Nie udało się przetworzyć importu.
payments-error-no-file = Wybierz plik wyciągu.
payments-error-file-too-big = Plik jest za duży.
payments-error-not-in-queue = Tej wpłaty nie ma już w kolejce do przypisania.
payments-flash-committed = Zaksięgowane wpłaty: { $booked } (razem { $amount }); do przypisania: { $unmatched }; wstrzymane jako możliwe duplikaty: { $held }; pominięte jako już zaimportowane: { $duplicates }.
payments-flash-held-booked = Wpłatę zaksięgowano mimo podobieństwa do wcześniejszej. Nadpłata do rozliczenia: { $credit }.
payments-flash-held-queued = Wpłatę przyjęto; nie pasuje do żadnego klienta, więc czeka na przypisanie.
payments-error-not-held = Ta wpłata nie jest już wstrzymana.
payments-flash-discarded = Import odrzucono, nic nie zostało zaksięgowane.
payments-flash-assigned = Wpłatę przypisano i zaksięgowano. Nadpłata do rozliczenia: { $credit }.

## Charges queued for the billing run (customer account page)
charges-title = Opłaty do najbliższej faktury okresowej
charges-intro = Jednorazowe opłaty (router, instalacja, wizyta technika) dopisywane do faktury za wybrany okres przy najbliższym rozliczeniu. Kwota brutto.
charges-none = Nie ma oczekujących ani rozliczonych opłat.
charges-col-period = Okres
charges-col-name = Nazwa na fakturze
charges-col-vat = Stawka VAT
charges-col-amount = Kwota brutto
charges-col-state = Stan
charges-waiting = czeka na rozliczenie
charges-billed = na fakturze { $number }
charges-remove = Usuń
charges-add = Dodaj opłatę
charges-amount-label = Kwota brutto (zł)
charges-period-label = Okres rozliczeniowy
charges-period-hint = RRRR-MM, np. 2026-12. Opłata trafi na fakturę za ten miesiąc.
charges-add-button = Dodaj do rozliczenia
charges-flash-queued = Opłatę dodano; trafi na fakturę za { $period }.
charges-flash-removed = Opłatę usunięto.
charges-error-not-waiting = Tej opłaty nie można już usunąć: jest na fakturze albo jej nie ma.
charges-error-name = Podaj nazwę (najwyżej 200 znaków).
charges-error-amount = Wpisz kwotę brutto większą od zera i nie większą niż 100 000 zł, np. 149,99.
charges-error-period = Wpisz okres jako RRRR-MM, np. 2026-12.
charges-error-past-period = Ten okres jest już zamknięty; wybierz bieżący lub późniejszy.

refunds-staff-nav = Zwroty nadpłat
refunds-staff-title = Zwroty nadpłat
refunds-staff-intro = Nadpłaty, które przy korekcie wybrano do zwrotu na rachunek klienta. Zwrot zmniejszył już saldo klienta; po wykonaniu przelewu oznacz go jako wysłany.
refunds-staff-none = Nie ma zwrotów do wykonania.
refunds-staff-chosen = Wybrano
refunds-staff-customer = Klient
refunds-staff-correction = Korekta
refunds-staff-account = Rachunek
refunds-staff-amount = Kwota
refunds-staff-state = Stan
refunds-staff-mark-sent = Oznacz jako wysłany
refunds-staff-sent-on = Wysłano
refunds-staff-sent = Zwrot oznaczono jako wysłany.
refunds-staff-already-sent = Ten zwrot był już oznaczony jako wysłany.
refunds-staff-through-payu = Ten zwrot wraca do klienta przez PayU; oznacz go ręcznie dopiero, gdy PayU go anuluje lub odrzuci.
