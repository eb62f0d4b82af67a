# Subscribers: paying invoices online through PayU.

online-pay-button = Zapłać online
online-pay-overdue-button = Zapłać online wszystkie zaległe faktury
online-pay-off = Płatności online nie są włączone. Zapłać przelewem na rachunek podany przy fakturze.
online-pay-nothing = Ta faktura jest już zapłacona.
online-pay-nothing-overdue = Żadna faktura nie jest po terminie płatności.
online-pay-payu-down = Nie udało się połączyć z PayU. Nic nie zostało pobrane; faktura czeka na zapłatę, spróbuj ponownie za chwilę.
online-title = Płatność online
online-state-completed = Zapłacono. Dziękujemy — wpłata jest już zaksięgowana.
online-state-pending = Płatność jest w toku. PayU jeszcze jej nie potwierdziło; odśwież stronę za chwilę.
online-state-canceled = Płatność została anulowana. Nic nie zostało pobrane; możesz zapłacić ponownie.
online-state-flagged = Płatność wymaga sprawdzenia przez biuro obsługi. Skontaktujemy się, jeśli będzie trzeba.
online-refresh = Odśwież
online-back-to-payu = Wróć do płatności w PayU
online-what = Za co
online-amount = Kwota
online-to-invoices = Faktury
online-to-balance = Saldo

# Subscribers: top-up packages.
top-up-title = Doładowania
top-up-link = Doładuj konto
top-up-details = szczegóły
top-up-credit = Nadpłata do wykorzystania
top-up-lapsed-total = Wygasło niewykorzystane
top-up-explain = Doładowanie to przedpłata: jego wartość opłaca kolejne faktury, zaczynając od doładowania, które wygasa najwcześniej. Co nie zostanie wykorzystane do końca ważności, wygasa i jest pokazane poniżej. Podatek VAT jest na fakturach opłacanych doładowaniem.
top-up-packages = Pakiety
top-up-no-packages = Nie ma teraz pakietów doładowań w sprzedaży.
top-up-package = Pakiet
top-up-price = Cena
top-up-value = Wartość
top-up-validity = Ważność
top-up-days = { $days ->
    [one] { $days } dzień
   *[other] { $days } dni
}
top-up-buy = Kup i zapłać online
top-up-mine = Moje doładowania
top-up-none-yet = Nie masz jeszcze doładowań.
top-up-bought = Kupione
top-up-valid-until = Ważne do
top-up-used = Wykorzystano
top-up-left = Zostało
top-up-lapsed = Wygasło
top-up-is-lapsed = wygasło
top-up-lapse-entry = Wygaśnięcie niewykorzystanego doładowania
top-up-gone = Tego pakietu nie ma już w sprzedaży. Wybierz inny.
top-up-payu-down = Nie udało się połączyć z PayU. Nic nie zostało pobrane; spróbuj kupić doładowanie za chwilę.

# Staff: top-up packages.
top-up-staff-nav = Doładowania
top-up-staff-title = Pakiety doładowań
top-up-staff-intro = Abonent płaci cenę i dostaje wartość do wykorzystania na faktury przez podaną liczbę dni. Doładowanie to przedpłata na usługi telekomunikacyjne: nie jest opodatkowane przy wpłacie (art. 19a ust. 5 pkt 4 i ust. 8 ustawy o VAT), VAT jest na fakturach, które opłaca. Zmiana pakietu nie zmienia doładowań już kupionych.
top-up-staff-off-sale = wycofany
top-up-staff-withdraw = Wycofaj ze sprzedaży
top-up-staff-put-on-sale = Przywróć do sprzedaży
top-up-staff-new = Nowy pakiet
top-up-staff-price = Cena (zł brutto)
top-up-staff-value = Wartość doładowania (zł)
top-up-staff-validity = Ważność (dni)
top-up-staff-add = Dodaj pakiet
top-up-staff-created = Pakiet dodany i wystawiony do sprzedaży.
top-up-staff-on-sale = Pakiet jest znów w sprzedaży.
top-up-staff-withdrawn = Pakiet wycofany ze sprzedaży. Kupione doładowania działają dalej.
top-up-problem-name_missing = Podaj nazwę pakietu.
top-up-problem-name_too_long = Nazwa może mieć najwyżej 100 znaków.
top-up-problem-bad_price = Cena musi być kwotą od 0,01 zł do 100 000 zł, np. 181,00.
top-up-problem-bad_value = Wartość musi być kwotą od 0,01 zł do 100 000 zł, np. 234,00.
top-up-problem-value_below_price = Wartość doładowania nie może być niższa niż cena.
top-up-problem-bad_validity = Ważność to liczba dni od 1 do 3660.

# Staff: online payment orders.
online-staff-nav = Płatności online
online-staff-title = Płatności online (PayU)
online-staff-flagged = Do wyjaśnienia
online-staff-no-flagged = Nic nie czeka na wyjaśnienie.
online-staff-flagged-intro = PayU zgłosiło tu inną kwotę lub walutę niż w zamówieniu albo wpłatę za anulowane zamówienie. Nic nie zostało zaksięgowane. Sprawdź płatność w panelu PayU; wpłatę, która ma się liczyć, zaksięguj ręcznie na stronie płatności, a tu zapisz, co ustalono.
online-staff-order = Zamówienie
online-staff-customer = Nr klienta
online-staff-why = Powód
online-staff-resolution = Co ustalono
online-staff-resolve = Zapisz wyjaśnienie
online-staff-recent = Ostatnie zamówienia
online-staff-none = Nie ma jeszcze płatności online.
online-staff-placed = Złożone
online-staff-state = Stan
online-staff-state-new = nowe
online-staff-state-pending = w toku w PayU
online-staff-state-completed = zapłacone
online-staff-state-canceled = anulowane
online-staff-cancel-payu = przez PayU
online-staff-cancel-expired = po 2 godzinach
online-staff-cancel-not_placed = PayU niedostępne
online-staff-is-flagged = do wyjaśnienia
online-staff-was-flagged = wyjaśnione
online-staff-resolved = Wyjaśnienie zapisane.
online-staff-resolution-missing = Wpisz, co ustalono.
online-staff-resolution-too-long = Wyjaśnienie może mieć najwyżej 500 znaków.
online-staff-not-waiting = To zamówienie nie czeka na wyjaśnienie (ktoś już je wyjaśnił).
