# Signing in (two steps), signing out, forgotten password.

auth-login-title = Logowanie
auth-login-heading = Zaloguj się do e-BOK
auth-identifier = Login lub adres e-mail
auth-password = Hasło
auth-log-in = Zaloguj się
auth-forgot-password = Nie pamiętasz hasła?
auth-no-account = Nie masz konta? Załóż je
auth-no-activation-link = Nie dostałeś linku aktywacyjnego?
auth-signed-in = Zalogowano. Witamy w e-BOK!
auth-code-needed = Hasło poprawne. Podaj kod z aplikacji.
auth-invalid = Nieprawidłowy login lub hasło.
auth-throttled = Zbyt wiele nieudanych prób logowania. { $retry }
auth-busy = W tej chwili loguje się bardzo wiele osób naraz. Spróbuj ponownie za kilka sekund.
auth-not-activated = Konto nie zostało jeszcze aktywowane. Kliknij link z e-maila albo wyślij go ponownie: /aktywacja/ponownie
auth-logged-out = Wylogowano. Do zobaczenia!

auth-code-title = Kod logowania
auth-code-heading = Logowanie dwuetapowe
auth-code-intro = Wpisz 6-cyfrowy kod z aplikacji uwierzytelniającej. Jeśli nie masz telefonu przy sobie, wpisz jeden z kodów zapasowych.
auth-code = Kod
auth-code-confirm = Potwierdź
auth-code-start-over = Zaloguj się od nowa
auth-code-expired = Minęło zbyt dużo czasu. Zaloguj się ponownie.
auth-code-throttled = Zbyt wiele nieudanych prób. { $retry }
auth-code-invalid = Kod jest nieprawidłowy. Wpisz aktualny kod z aplikacji albo jeden z kodów zapasowych.
auth-code-already-used = Ten kod został już użyty. Poczekaj, aż aplikacja pokaże następny (zmienia się co 30 sekund), i wpisz go.

auth-link-inactive = Link jest nieaktywny
auth-reset-title = Nie pamiętam hasła
auth-reset-heading = Nie pamiętasz hasła?
auth-reset-sent = Jeśli ten adres należy do konta w e-BOK, wysłaliśmy na niego link do ustawienia nowego hasła. Link jest ważny przez godzinę.
auth-reset-intro = Podaj adres e-mail konta. Wyślemy link do ustawienia nowego hasła.
auth-reset-email = Adres e-mail
auth-reset-send = Wyślij link
auth-reset-throttled = Zbyt wiele próśb o reset hasła. { $retry }
auth-new-password-title = Nowe hasło
auth-new-password-heading = Ustaw nowe hasło
auth-new-password-intro = Po zmianie hasła zakończymy wszystkie sesje tego konta na wszystkich urządzeniach.
auth-new-password = Nowe hasło
auth-new-password-hint = Co najmniej { $min-length } znaków; nie może zawierać loginu ani być popularnym hasłem.
auth-new-password-repeated = Powtórz nowe hasło
auth-new-password-save = Zapisz hasło
# Contains a link: rendered with `safe`, so no placeables here.
auth-new-password-link-inactive = Ten link został już użyty albo wygasł (jest ważny przez godzinę). <a href="/haslo/reset">Poproś o nowy link</a>.
auth-password-reset-done = Hasło zostało zmienione, a wszystkie sesje zakończone. Zaloguj się nowym hasłem.
