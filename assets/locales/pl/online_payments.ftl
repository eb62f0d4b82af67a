# Subscribers: paying invoices online through PayU.

online-pay-button = Zapłać online
online-pay-overdue-button = Zapłać online wszystkie zaległe faktury
online-pay-off = Płatności online nie są włączone. Zapłać przelewem na rachunek podany przy fakturze.
online-pay-nothing = Ta faktura jest już zapłacona.
online-pay-nothing-overdue = Żadna faktura nie jest po terminie płatności.
online-pay-payu-down = Nie udało się połączyć z PayU. Nic nie zostało pobrane; faktura czeka na zapłatę, spróbuj ponownie za chwilę.
online-title = Płatność online
online-state-completed = Zapłacono. Dziękujemy — wpłata jest już zaksięgowana.
online-state-pending = Płatność jest w toku. PayU jeszcze jej nie potwierdziło; odśwież stronę za chwilę.
online-state-canceled = Płatność została anulowana. Nic nie zostało pobrane; możesz zapłacić ponownie.
online-state-flagged = Płatność wymaga sprawdzenia przez biuro obsługi. Skontaktujemy się, jeśli będzie trzeba.
online-refresh = Odśwież
online-back-to-payu = Wróć do płatności w PayU
online-what = Za co
online-amount = Kwota
online-to-invoices = Faktury
online-to-balance = Saldo
