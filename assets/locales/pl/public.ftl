# Public pages: the start page and the terms of service.

public-start-title = Witamy w e-BOK
public-start-heading = Twoje konto abonenta w jednym miejscu
public-start-lead = Faktury i płatności, usługi i adresy IP, zgłoszenia do serwisu, umowy i powiadomienia — o każdej porze, bez dzwonienia do biura.
public-start-needs = Do założenia konta potrzebujesz numeru umowy, numeru PESEL i adresu e-mail podanego w umowie.
public-network-heading = Stan sieci
public-network-ok = Sieć działa bez zakłóceń. Nie mamy informacji o awariach ani planowanych pracach.
public-outage = Awaria
public-maintenance = Prace serwisowe
public-planned-from = planowane od { $at }
public-since = od { $at }
public-until = do { $at }
public-news-heading = Aktualności
public-news-empty = Nie ma jeszcze aktualności.

public-terms-title = Regulamin e-BOK
public-terms-version = Wersja { $version }
public-terms-1 = e-BOK to elektroniczne Biuro Obsługi Klienta operatora { $isp }, dostępne dla abonentów, którzy mają z operatorem umowę.
public-terms-2 = Konto zakłada abonent, podając numer umowy, numer PESEL osoby, która zawarła umowę, oraz adres e-mail wskazany w umowie. Konto aktywuje link wysłany na ten adres.
public-terms-3 = Abonent chroni hasło i nie udostępnia go innym osobom. Może włączyć logowanie dwuetapowe.
public-terms-4 = W e-BOK abonent widzi dane swoich umów, usług, faktur i płatności, zgłasza awarie i sprawy do biura obsługi oraz zarządza zgodami, w tym zgodą na faktury elektroniczne.
public-terms-5 = Operator przetwarza dane osobowe zgodnie z RODO w celu wykonania umowy. Numer PESEL nie jest przechowywany w postaci jawnej.
public-terms-6 = Logowania i zmiany ustawień bezpieczeństwa są zapisywane; abonent widzi je w zakładce Bezpieczeństwo.
public-terms-7 = W sprawach e-BOK można kontaktować się z biurem obsługi
public-terms-7-phone = pod numerem { $phone }
public-terms-7-email = lub e-mailem { $email }
