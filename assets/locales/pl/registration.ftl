# Opening an account and activating it.

registration-title = Rejestracja
registration-heading = Załóż konto w e-BOK
registration-intro = Potrzebujesz numeru umowy, numeru PESEL osoby, która podpisała umowę, oraz adresu e-mail podanego w umowie. Na ten adres wyślemy link aktywacyjny.
registration-contract-data = Dane z umowy
registration-contract-number = Numer umowy
registration-contract-number-hint = Tak jak na umowie, np. UM/2025/00002.
registration-pesel = PESEL
registration-email = Adres e-mail z umowy
registration-login-data = Dane logowania
registration-login = Login
registration-login-hint = Od 3 do 32 znaków: litery (bez polskich znaków), cyfry, kropka, podkreślenie, myślnik.
registration-password = Hasło
registration-password-hint = Co najmniej { $min-length } znaków; nie może zawierać loginu ani być popularnym hasłem. Najlepiej kilka słów, np. zielona-lipa-nad-wartą.
registration-password-repeated = Powtórz hasło
# Contains a link: rendered with `safe`; the version is ours, never typed by a user.
registration-accept-terms = Akceptuję <a href="/regulamin">regulamin e-BOK</a> (wersja { $version }).
registration-submit = Załóż konto
registration-have-account = Masz już konto?
registration-log-in = Zaloguj się
registration-fix-fields = Popraw zaznaczone pola.
registration-identity-not-confirmed = Nie udało się potwierdzić tożsamości. Numer umowy, PESEL i adres e-mail muszą być takie same jak w umowie z operatorem. Jeśli dane się zgadzają, a rejestracja nie działa, skontaktuj się z biurem obsługi.
registration-already-registered = Ta umowa ma już konto w e-BOK. Zaloguj się albo skorzystaj z odzyskiwania hasła.
registration-not-own-connection = Konto można założyć tylko z Twojego łącza internetowego u operatora. Połącz się przez swoje łącze i spróbuj ponownie.
registration-throttled = Zbyt wiele prób rejestracji. { $retry }

registration-sent-title = Sprawdź skrzynkę
registration-sent-heading = Sprawdź skrzynkę e-mail
registration-sent-text = Wysłaliśmy link aktywacyjny na adres podany w umowie. Kliknij go w ciągu 48 godzin, aby aktywować konto.
# Contains a link: rendered with `safe`.
registration-sent-missing = Nie widzisz wiadomości? Sprawdź folder spam albo <a href="/aktywacja/ponownie">wyślij link ponownie</a>.

registration-activate-title = Aktywacja konta
registration-activate-heading = Aktywuj konto
registration-activate-intro = Kliknij przycisk, aby aktywować konto i zalogować się do e-BOK.
registration-activate-submit = Aktywuj konto
# Contains links: rendered with `safe`.
registration-activate-inactive = Ten link aktywacyjny został już użyty albo wygasł. Jeśli konto jest już aktywne, <a href="/logowanie">zaloguj się</a>. W przeciwnym razie <a href="/aktywacja/ponownie">wyślij nowy link</a>.
registration-activated = Konto zostało aktywowane. Witamy w e-BOK!

registration-resend-title = Link aktywacyjny
registration-resend-heading = Wyślij link aktywacyjny ponownie
registration-resend-sent = Jeśli konto czeka na aktywację, wysłaliśmy nowy link na jego adres e-mail. Poprzednie linki przestały działać.
registration-resend-identifier = Login lub adres e-mail
registration-resend-submit = Wyślij link
registration-resend-throttled = Zbyt wiele próśb o link. { $retry }
