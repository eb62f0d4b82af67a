# Dunning: overdue invoices, statutory interest, letters, the warning and block flags.

dunning-page-title = Overdue payments
dunning-overdue-title = Overdue payments
dunning-interest-total = Statutory interest for late payment up to today: { $amount }
dunning-invoice = Invoice
dunning-overdue-since = Late since
dunning-outstanding = To pay
dunning-interest = Interest to date
dunning-step = Stage
dunning-next = What comes next
dunning-deadline = deadline: { $date }
dunning-pay = Pay now
dunning-details = Details and letters
dunning-nothing-overdue = You have no overdue payments.
dunning-letters-title = Reminders and demands
dunning-no-letters = We have sent you no reminders or demands.
dunning-interest-note = Statutory interest runs from the day after the due date (when that falls on a Saturday, Sunday or public holiday, from the day after the next working day) until the day of payment. Reminders are free of charge.
dunning-flag-warning = You have overdue invoices: web pages you open will show a warning, and after the deadline your service will be limited.
dunning-flag-block = You have overdue invoices and your service is limited. Paying restores it at once.
dunning-step-reminder = Reminder
dunning-step-formal_demand = Demand for payment
dunning-step-warning_page = Warning page
dunning-step-limitation = Service limited
dunning-step-pre_court_demand = Final demand before court
