# Interest notes ("nota odsetkowa"): staff issue them after late payments; subscribers see and pay them.

interest-note-staff-title = Noty odsetkowe
interest-note-staff-intro = Faktury zapłacone po terminie, od których należą się odsetki ustawowe, a które nie są jeszcze na żadnej nocie. Nota obejmuje wszystkie takie faktury klienta; ma własną numerację i nie jest fakturą VAT.
interest-note-staff-pending = Do obciążenia odsetkami
interest-note-staff-none-pending = Nie ma faktur zapłaconych po terminie bez noty odsetkowej.
interest-note-staff-latest = Ostatnio wystawione noty
interest-note-staff-none-issued = Nie wystawiono jeszcze żadnej noty odsetkowej.
interest-note-staff-link = Noty odsetkowe
interest-note-due = Termin płatności
interest-note-paid-on = Zapłacono
interest-note-days = Dni opóźnienia
interest-note-principal = Kwota faktury
interest-note-interest = Odsetki
interest-note-issue = Wystaw notę
interest-note-number = Numer noty
interest-note-issued-on = Data wystawienia
interest-note-total = Kwota noty
interest-note-paid = Zapłacono
interest-note-outstanding = Do zapłaty
interest-note-issued = Wystawiono notę odsetkową { $number }.
interest-note-error-nothing = Ten klient nie ma faktur zapłaconych po terminie, za które należą się odsetki (albo są już na nocie).
interest-note-error-customer = Nie ma klienta o takim numerze.
interest-note-error-rate = Brak stawki odsetek ustawowych dla części okresu opóźnienia; uzupełnij tabelę stawek w ustawieniach windykacji.
interest-note-customer-title = Noty odsetkowe
interest-note-customer-intro = Odsetki ustawowe za faktury zapłacone po terminie. Notę opłacisz przelewem na swój numer rachunku, tytułem: numer noty.
interest-note-customer-settled = zapłacona
