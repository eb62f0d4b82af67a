# What subscribers see of their invoices' way to KSeF.

invoices-ksef = KSeF
invoices-ksef-number = Numer KSeF
invoices-ksef-accepted = przyjęta do KSeF
invoices-ksef-waiting = czeka na numer KSeF
invoices-ksef-offline = wystawiona w trybie offline; trafi do KSeF później
invoices-ksef-explained = Faktura jest ważna także przed nadaniem numeru KSeF. Kod QR „KOD I” na PDF pozwala sprawdzić ją w systemie Ministerstwa Finansów.
