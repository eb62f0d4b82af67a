# Form problems reported by the use cases (passwords, registration fields, throttling).

messages-password-too-short = Hasło musi mieć co najmniej { $min-length } znaków.
messages-password-too-long = Hasło jest zbyt długie (najwyżej 256 znaków).
messages-password-same-as-login = Hasło nie może zawierać loginu.
messages-password-too-common = To hasło jest zbyt popularne i łatwe do odgadnięcia. Wybierz inne.
messages-password-mismatch = Powtórzone hasło różni się od pierwszego.
messages-login-format = Login musi mieć od 3 do 32 znaków: litery bez polskich znaków, cyfry, kropka, podkreślenie lub myślnik.
messages-login-taken = Ten login jest już zajęty. Wybierz inny.
messages-email-format = Wpisz poprawny adres e-mail, np. jan.kowalski@example.com.
messages-pesel-format = Numer PESEL jest niepoprawny: sprawdź, czy ma 11 cyfr i czy nie ma w nim literówki.
messages-contract-number-format = Wpisz numer umowy tak, jak jest na umowie, np. UM/2025/00002.
messages-terms-not-accepted = Aby założyć konto, zaakceptuj regulamin e-BOK.
messages-retry-after = Spróbuj ponownie po { $time }.
