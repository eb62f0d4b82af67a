# The mailing list: leaving it from a marketing mail, and the staff form that writes one.
mailing-leave-title = Wypisanie z listy mailingowej
mailing-leave-intro = Jednym kliknięciem wypiszesz się z listy mailingowej i przestaniesz dostawać od nas informacje o ofertach i promocjach. Wiadomości o fakturach, płatnościach i awariach nadal będą przychodzić.
mailing-leave-button = Wypisz mnie
mailing-left-heading = Wypisano Cię z listy mailingowej
mailing-left-text = Nie będziemy już wysyłać Ci informacji o ofertach i promocjach. Możesz zapisać się ponownie w e-BOK w zakładce „Moje dane”.
mailing-link-inactive-heading = Ten link już nie działa
mailing-link-inactive-text = Link został już użyty albo wygasł. Jeśli nadal dostajesz od nas informacje o ofertach, zaloguj się do e-BOK i odznacz listę mailingową w zakładce „Moje dane”.
mailing-staff-title = Lista mailingowa
mailing-staff-intro = Wiadomość trafi tylko do klientów zapisanych na listę mailingową (zgoda w e-BOK). Każda kopia ma własny link do wypisania się jednym kliknięciem.
mailing-staff-subscribers = Zapisanych klientów: { $count }
mailing-subject = Temat
mailing-body = Treść
mailing-body-hint = Zwykły tekst. Stopkę z linkiem do wypisania się dodamy sami.
mailing-send = Wyślij do zapisanych
mailing-sent = Wiadomość czeka na wysłanie do { $count } { $count ->
    [one] klienta
   *[other] klientów
}.
mailing-error-subject = Podaj temat (najwyżej 150 znaków).
mailing-error-body = Wpisz treść (najwyżej 20 000 znaków).
staff-nav-mailing-list = Lista mailingowa
