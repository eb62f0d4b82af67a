# Dunning: overdue invoices, statutory interest, letters, the warning and block flags.

dunning-page-title = Zaległości
dunning-overdue-title = Zaległe płatności
dunning-interest-total = Odsetki ustawowe za opóźnienie do dziś: { $amount }
dunning-invoice = Faktura
dunning-overdue-since = Opóźnienie od
dunning-outstanding = Do zapłaty
dunning-interest = Odsetki do dziś
dunning-step = Etap
dunning-next = Co dalej
dunning-deadline = termin: { $date }
dunning-pay = Zapłać teraz
dunning-details = Szczegóły i pisma
dunning-nothing-overdue = Nie masz zaległych płatności.
dunning-letters-title = Przypomnienia i wezwania
dunning-no-letters = Nie wysłaliśmy Ci żadnych przypomnień ani wezwań.
dunning-interest-note = Odsetki ustawowe liczymy od dnia po terminie płatności (gdy termin wypada w sobotę, niedzielę lub święto — od dnia po najbliższym dniu roboczym) do dnia zapłaty. Nie pobieramy opłat za przypomnienia.
dunning-flag-warning = Masz zaległe faktury: po otwarciu strony internetowej zobaczysz ostrzeżenie, a po terminie usługa zostanie ograniczona.
dunning-flag-block = Masz zaległe faktury i usługa jest ograniczona. Wpłata przywraca ją niezwłocznie.
dunning-step-reminder = Przypomnienie
dunning-step-formal_demand = Wezwanie do zapłaty
dunning-step-warning_page = Strona z ostrzeżeniem
dunning-step-limitation = Ograniczenie usługi
dunning-step-pre_court_demand = Ostateczne wezwanie przedsądowe
