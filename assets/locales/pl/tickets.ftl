# Zgłoszenia (support tickets): subscriber pages, staff queue, canned responses.

tickets-title = Zgłoszenia
tickets-new-button = Nowe zgłoszenie
tickets-empty = Nie masz jeszcze żadnych zgłoszeń. Jeśli coś nie działa albo masz pytanie, napisz do nas.
tickets-column-number = Numer
tickets-column-subject = Temat
tickets-column-category = Kategoria
tickets-column-status = Status
tickets-column-updated = Ostatnia zmiana
tickets-column-customer = Abonent
tickets-column-assignee = Opiekun
tickets-opened = Zgłoszono

tickets-status-new = nowe
tickets-status-open = w realizacji
tickets-status-waiting_customer = czeka na Twoją odpowiedź
tickets-status-answered = odpowiedziano
tickets-status-closed = zamknięte

tickets-category-fault = awaria techniczna
tickets-category-billing = rozliczenia
tickets-category-contract = zmiana umowy
tickets-category-other = inne

tickets-new-title = Nowe zgłoszenie
tickets-back-to-list = Wszystkie zgłoszenia
tickets-choose = — wybierz —
tickets-field-category = Czego dotyczy zgłoszenie
tickets-field-service = Usługa
tickets-service-none = żadna konkretna usługa
tickets-field-subject = Temat
tickets-field-message = Wiadomość
tickets-field-attachments = Załączniki (opcjonalnie)
tickets-attachments-hint = { $count ->
    [one] Najwyżej { $count } plik PDF, JPEG lub PNG, do 5 MB.
    [few] Najwyżej { $count } pliki PDF, JPEG lub PNG, każdy do 5 MB.
   *[other] Najwyżej { $count } plików PDF, JPEG lub PNG, każdy do 5 MB.
}
tickets-submit = Wyślij zgłoszenie
tickets-attachments = Załączniki
tickets-author-customer = Ty
tickets-author-staff = Biuro Obsługi
tickets-internal-note = Notatka wewnętrzna
tickets-reply-heading = Odpowiedz
tickets-send-reply = Wyślij odpowiedź
tickets-close = Zamknij zgłoszenie — sprawa załatwiona
tickets-reopen = Otwórz ponownie
tickets-closed-reopen-until = Zgłoszenie jest zamknięte. Jeśli problem wrócił, możesz je otworzyć ponownie do
tickets-closed-for-good = Zgłoszenie jest zamknięte od ponad 14 dni i nie można go już otworzyć ponownie. Jeśli problem wrócił,
tickets-flash-opened = Przyjęliśmy zgłoszenie. Odpowiemy najszybciej, jak to możliwe.
tickets-flash-replied = Wysłaliśmy Twoją odpowiedź.
tickets-flash-closed = Zgłoszenie zostało zamknięte.
tickets-flash-reopened = Zgłoszenie zostało otwarte ponownie.

tickets-error-not-found = Nie ma takiego zgłoszenia.
tickets-error-category = Wybierz, czego dotyczy zgłoszenie.
tickets-error-service = Wybierz jedną ze swoich usług albo „żadna konkretna usługa”.
tickets-error-subject = Wpisz temat zgłoszenia (najwyżej { $max } znaków).
tickets-error-body = Wpisz treść wiadomości (najwyżej { $max } znaków).
tickets-error-too-many-files = Możesz dołączyć najwyżej 5 plików naraz. Wybierz pliki jeszcze raz.
tickets-error-file-too-large = Plik „{ $name }” jest większy niż 5 MB. Zmniejsz go albo dołącz inny i wybierz pliki jeszcze raz.
tickets-error-file-type = Plik „{ $name }” nie jest dokumentem PDF ani zdjęciem JPEG lub PNG (sprawdzamy zawartość, nie nazwę). Wybierz pliki jeszcze raz.
tickets-error-closed = To zgłoszenie jest zamknięte. Otwórz je ponownie, aby dopisać wiadomość.
tickets-error-not-closed = To zgłoszenie nie jest zamknięte.
tickets-error-reopen-expired = Zgłoszenie zamknięto ponad 14 dni temu, więc nie można go już otworzyć ponownie. Załóż nowe zgłoszenie.
tickets-error-status = Wybierz status z listy.
tickets-error-assignee = Zgłoszenie można przypisać tylko aktywnemu pracownikowi obsługi zgłoszeń.
tickets-error-internal = Nie udało się zapisać zmian. Spróbuj ponownie za chwilę.

tickets-staff-title = Zgłoszenia abonentów
tickets-nav-staff = Zgłoszenia
tickets-staff-empty = Brak zgłoszeń spełniających te warunki.
tickets-staff-limit = Pokazujemy { $count } najstarszych zgłoszeń; zawęź filtry, aby zobaczyć pozostałe.
tickets-staff-back = Kolejka zgłoszeń
tickets-staff-customer-tickets = wszystkie zgłoszenia abonenta
tickets-staff-notes-hidden = Notatki wewnętrzne są widoczne tylko dla działu obsługi i administratorów.
tickets-staff-reply-heading = Odpowiedź dla abonenta
tickets-staff-reply-label = Treść odpowiedzi (abonent ją zobaczy i dostanie e-mail, jeśli chce)
tickets-staff-send-reply = Wyślij odpowiedź
tickets-staff-note-label = Treść notatki (niewidoczna dla abonenta)
tickets-staff-add-note = Dodaj notatkę
tickets-staff-manage = Status i opiekun
tickets-staff-change-status = Zmień status
tickets-staff-assign = Przypisz
tickets-unassigned = nieprzypisane
tickets-filter-not-closed = wszystkie niezamknięte
tickets-filter-all = wszystkie
tickets-filter-any = dowolna
tickets-filter-anyone = dowolny
tickets-filter-older-than = Starsze niż (dni)
tickets-filter-show = Pokaż
tickets-filter-customer = Tylko zgłoszenia abonenta o identyfikatorze { $customer }.
tickets-filter-clear-customer = Pokaż wszystkich abonentów
tickets-flash-staff-replied = Odpowiedź wysłana do abonenta.
tickets-flash-note-added = Dodano notatkę wewnętrzną.
tickets-flash-status-changed = Zmieniono status zgłoszenia.
tickets-flash-assigned = Zmieniono opiekuna zgłoszenia.

tickets-canned-title = Gotowe odpowiedzi
tickets-canned-intro = Teksty, które można wstawić do odpowiedzi na zgłoszenie i poprawić przed wysłaniem. Nieaktywne nie pojawiają się na liście przy zgłoszeniu.
tickets-canned-choose = Gotowa odpowiedź
tickets-canned-use = Wstaw do odpowiedzi
tickets-canned-field-title = Nazwa
tickets-canned-field-body = Treść
tickets-canned-field-active = Aktywna
tickets-canned-save = Zapisz
tickets-canned-new = Nowa gotowa odpowiedź
tickets-canned-add = Dodaj
tickets-canned-flash-created = Dodano gotową odpowiedź.
tickets-canned-flash-saved = Zapisano gotową odpowiedź.
tickets-canned-error-title = Podaj nazwę (najwyżej 100 znaków).
tickets-canned-error-body = Wpisz treść odpowiedzi.
tickets-canned-error-not-found = Nie ma takiej gotowej odpowiedzi.

# The same statuses as staff see them ("waiting for the customer", not "for your reply").
tickets-staff-status-new = nowe
tickets-staff-status-open = w realizacji
tickets-staff-status-waiting_customer = czeka na klienta
tickets-staff-status-answered = odpowiedziano
tickets-staff-status-closed = zamknięte
tickets-author-customer-for-staff = Klient
