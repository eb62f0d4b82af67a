# "Bezpieczeństwo": sessions, logins, password and e-mail changes, two-step login.

security-title = Bezpieczeństwo
security-heading = Bezpieczeństwo konta
security-sessions = Otwarte sesje
security-since = Od
security-last-seen = Ostatnia aktywność
security-ip = Adres IP
security-browser = Przeglądarka
security-this-session = (ta sesja)
security-end-others = Wyloguj wszystkie inne urządzenia
security-others-ended = Zakończono inne sesje: { $count }.
security-recent-logins = Ostatnie logowania
security-no-logins = Brak zapisanych logowań.
security-when = Kiedy
security-result = Wynik
security-login-ok = udane
security-login-lockout = blokada po nieudanych próbach
security-login-failed = nieudane

security-password-heading = Zmiana hasła
security-current-password = Obecne hasło
security-new-password = Nowe hasło
security-new-password-hint = Co najmniej { $min-length } znaków; nie może zawierać loginu ani być popularnym hasłem. Po zmianie wylogujemy inne urządzenia.
security-new-password-repeated = Powtórz nowe hasło
security-change-password = Zmień hasło
security-password-changed = Hasło zostało zmienione. Inne sesje zostały zakończone.
security-wrong-current-password = Obecne hasło jest nieprawidłowe.
security-throttled = Zbyt wiele nieudanych prób. { $retry }

security-email-heading = Adres e-mail konta
security-email-current = Obecny adres:
security-email-explain = Nowy adres zacznie obowiązywać po kliknięciu w link, który na niego wyślemy; o zmianie powiadomimy też obecny adres.
security-new-email = Nowy adres e-mail
security-change-email = Zmień adres
security-email-link-sent = Wysłaliśmy link potwierdzający na nowy adres. Adres zmieni się po kliknięciu w link.
security-email-format = Wpisz poprawny adres e-mail.
security-same-email = To jest Twój obecny adres e-mail.
security-email-throttled = Zbyt wiele prób. { $retry }
security-email-changed = Adres e-mail konta to teraz { $email }.
security-email-confirm-title = Nowy adres e-mail
security-email-confirm-heading = Potwierdź nowy adres e-mail
security-email-confirm-intro = Po potwierdzeniu adresem konta w e-BOK będzie
security-email-confirm-submit = Potwierdzam
# Contains a link: rendered with `safe`.
security-email-link-inactive = Ten link został już użyty albo wygasł. Zmianę adresu możesz zacząć od nowa w zakładce <a href="/bezpieczenstwo">Bezpieczeństwo</a>.

security-2fa-heading = Logowanie dwuetapowe
security-2fa-on = Włączone. Pozostałe kody zapasowe: { $count }.
security-2fa-off = Wyłączone. Po włączeniu do logowania oprócz hasła potrzebny będzie kod z aplikacji w telefonie.
security-2fa-manage = Zarządzaj
security-2fa-turn-on = Włącz logowanie dwuetapowe
security-2fa-enabled-intro = Logowanie dwuetapowe jest włączone. Aby je wyłączyć, podaj hasło i aktualny kod z aplikacji (albo kod zapasowy).
security-password = Hasło
security-code = Kod
security-2fa-turn-off = Wyłącz logowanie dwuetapowe
security-2fa-step-install = Zainstaluj aplikację uwierzytelniającą (np. Google Authenticator, Microsoft Authenticator, FreeOTP).
security-2fa-step-scan = Zeskanuj kod QR albo wpisz klucz ręcznie.
security-2fa-step-code = Wpisz 6-cyfrowy kod, który pokaże aplikacja.
security-2fa-key = Klucz:
security-2fa-app-code = Kod z aplikacji
security-2fa-ebok-password = Hasło do e-BOK
security-2fa-enable = Włącz
security-2fa-start-over = Zacznij od nowa
security-back = Wróć do ustawień bezpieczeństwa
security-2fa-restart = Zacznij konfigurację od nowa: odśwież stronę.
security-2fa-setup-wrong-code = Kod się nie zgadza. Sprawdź, czy zegar w telefonie jest ustawiony automatycznie, i wpisz aktualny kod.
security-wrong-password = Hasło jest nieprawidłowe.
security-wrong-code = Kod jest nieprawidłowy.
security-2fa-already-on = Logowanie dwuetapowe jest już włączone.
security-2fa-turned-off = Logowanie dwuetapowe zostało wyłączone.
security-codes-title = Kody zapasowe
security-codes-heading = Logowanie dwuetapowe jest włączone
security-codes-intro = Zapisz te kody zapasowe w bezpiecznym miejscu. Każdy działa raz, gdy nie masz dostępu do telefonu.
security-codes-only-now = Pokazujemy je tylko teraz.
security-codes-saved = Zapisałem kody
