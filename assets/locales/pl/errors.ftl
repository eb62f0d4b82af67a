# Error pages (shown by the catchers).

errors-back-home = Wróć na stronę główną
errors-bad-request-title = Nieprawidłowe żądanie
errors-bad-request = Nie udało się odczytać przesłanych danych. Wróć i spróbuj ponownie.
errors-forbidden-title = Brak dostępu
errors-forbidden = Nie masz uprawnień do tej strony albo formularz wygasł. Odśwież stronę i spróbuj ponownie.
errors-not-found-title = Nie znaleziono strony
errors-not-found = Strona, której szukasz, nie istnieje lub została przeniesiona.
errors-too-many-title = Zbyt wiele prób
errors-too-many = Odczekaj chwilę i spróbuj ponownie.
errors-server-title = Błąd serwera
errors-server = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę; jeśli błąd się powtarza, skontaktuj się z biurem obsługi.
errors-other-title = Błąd
errors-other = Nie udało się wykonać żądania.
errors-back-to-form = Wróć do formularza
errors-too-large-title = Za duże pliki
errors-too-large = Przesłane dane są zbyt duże. Do zgłoszenia dołączysz najwyżej 5 plików PDF, JPEG lub PNG, każdy do 5 MB. Wróć do formularza i wybierz mniejsze pliki.
errors-request-id = Podaj ten kod, zgłaszając błąd:
errors-unavailable-title = Chwilowa przerwa
errors-unavailable = Nie możemy teraz sięgnąć do danych. To zwykle trwa kilka sekund: spróbuj ponownie za chwilę. Nic z tego, co już zapisano, nie zginęło.
