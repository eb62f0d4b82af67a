# Staff: payments, bank statement import, review queue (/staff/platnosci).

payments-title = Payments
payments-nav = Payments
payments-queue-link = { $count ->
    [one] payment to assign
   *[other] payments to assign
}
payments-find-title = Customer account
payments-customer-number = Customer number
payments-find-button = Show account
payments-import-title = Bank statement import
payments-import-file = Statement file (MT940, MT942, a bank's CSV or Elixir-0)
payments-import-format = Format
payments-import-format-auto = detect
payments-import-button = Read and preview
payments-import-help-title = Which files are accepted?
payments-import-help-mt940 = MT940 and MT942 from the bank (.sta, .mt940, .txt files), also in a SWIFT envelope and with several statements in one file (only PLN accounts are booked, the others are shown as skipped). Encoding UTF-8, Windows-1250 or ISO-8859-2. The transfer title is read from subfields ~20–~25 (without filler characters), the payer from ~32/~33 or ~27/~28, the payer's account from ~38; the customer's individual account from the :61: supplementary details or from "ID IPH:" (mBank).
payments-import-help-csv = CSV: the account history export of PKO BP, mBank, ING Bank Śląski, Santander, Pekao or Millennium is recognised by its header. Any other file: one transaction per line, fields separated by semicolons, amounts with a decimal comma or point (also "1.234,56"; negative ones are debits), UTF-8, Windows-1250 or ISO-8859-2. Columns in this order:
payments-csv-date = booking date, e.g. 2026-11-05 or 05.11.2026
payments-csv-amount = amount, e.g. 120,00; negative for money paid out (ignored)
payments-csv-title = transfer title
payments-csv-payer = payer (may be empty)
payments-csv-account-to = the account the money was sent to – the customer's individual account (may be empty)
payments-csv-reference = the bank's transaction id (may be empty)
payments-import-help-header = The first line may name the columns (in English as above or in Polish: data, kwota, tytuł, nadawca, rachunek, referencja, rachunek_nadawcy); the order is then free and only date, amount and title are required.
payments-import-help-matching = Matching: first the customer's individual account, then an invoice number in the title, then a customer number in the title ("klient 1234"). Unmatched payments go to the review queue. Each transaction is booked once, even when the same file is imported again; a payment without the bank's reference that looks like one booked before waits in the queue as a possible duplicate, and you can book it anyway.
payments-import-help-elixir = Elixir-0: the bank's file of received transfers (e.g. for mass payment identification), one payment per line, amount in grosze.
payments-import-encoding = Character encoding
payments-import-encoding-auto = detect
payments-batches-title = Recent imports
payments-batch-status-preview = preview, not committed
payments-batch-status-committed = booked
payments-batch-status-discarded = discarded
payments-manual-title = Manual payment
payments-amount = Amount
payments-amount-hint = e.g. 89,99
payments-received-on = Date received
payments-method = Method
payments-method-transfer = transfer
payments-method-cash = cash
payments-method-card = card
payments-payment-title = Title or note
payments-manual-button = Book payment
payments-recent-title = Recently booked payments
payments-none = No payments.
payments-col-date = Date
payments-col-customer = Customer
payments-col-title = Title
payments-col-source = Source
payments-col-amount = Amount
payments-col-number = Number
payments-col-due = Due
payments-col-gross = Gross
payments-col-paid = Paid
payments-col-outstanding = Outstanding
payments-col-settles = Settles
payments-col-entry = Entry
payments-col-charge = Charge
payments-col-payment = Payment
payments-col-balance = Balance
payments-col-line = Line
payments-col-payer = Payer
payments-col-status = Result
payments-col-assign = Assign to customer
payments-reversed = reversed
payments-source-manual = manual entry
payments-source-import = bank statement
payments-source-online = online payment
payments-source-demo = demo data
payments-reason-account = individual account
payments-reason-invoice_number = invoice number in title
payments-reason-customer_number = customer number in title
payments-reason-manual = assigned by hand
payments-customer-title = Account of customer { $number }
payments-back = ← Payments
payments-individual-account = individual account
payments-balance-owed = owed
payments-balance-overpaid = overpaid
payments-balance = balance
payments-outstanding = unpaid invoices
payments-credit = credit for the next invoice
payments-invoices-title = Invoices
payments-no-invoices = The customer has no invoices.
payments-history-title = Payments
payments-unallocated = unallocated:
payments-reversal-reason = Reason for reversal
payments-reverse-button = Reverse payment
payments-ledger-title = Ledger
payments-preview-title = Import: { $file }
payments-preview-matched = { $count ->
    [one] matched payment
   *[other] matched payments
}
payments-preview-unmatched = { $count ->
    [one] payment to assign by hand
   *[other] payments to assign by hand
}
payments-preview-duplicates = { $count ->
    [one] transaction imported before
   *[other] transactions imported before
}
payments-preview-debits = { $count ->
    [one] debit (ignored)
   *[other] debits (ignored)
}
payments-preview-note = This is a preview: nothing is booked yet. Check the matches and commit the import.
payments-commit-button = Commit and book
payments-discard-button = Discard import
payments-status-matched = matched
payments-status-unmatched = to assign
payments-status-assigned = assigned by hand
payments-status-duplicate = imported before
payments-status-debit = debit
payments-status-held = possible duplicate, held
payments-queue-title = Payments to assign
payments-queue-intro = Payments from statements that matched no customer. Check the title and payer, enter the customer number: the payment is booked and settles the customer's oldest invoices.
payments-queue-empty = There are no payments to assign.
payments-queue-total = { $count ->
    [one] { $count } payment, total
   *[other] { $count } payments, total
}
payments-sent-to = sent to
payments-assign-button = Assign
payments-held-title = Possible duplicates
payments-held-intro = Payments without the bank's reference that look like ones booked before (same account, day, amount and title) from another file. Nothing was done with them. If they are separate transfers, book them.
payments-held-button = Book anyway
payments-held-for = for customer
payments-preview-held = { $count ->
    [one] possible duplicate held
   *[other] possible duplicates held
}
payments-preview-skipped = Skipped account { $account } in { $currency } ({ $count } transactions, from line { $line }); only PLN is booked.
payments-preview-layout = layout: { $layout }
payments-encoding-utf8 = UTF-8
payments-encoding-windows1250 = Windows-1250
payments-encoding-iso8859_2 = ISO-8859-2

payments-error-unknown-customer = There is no customer with that number.
payments-error-manual-amount = Enter an amount above zero, e.g. 89,99.
payments-error-manual-date = Enter the payment date as YYYY-MM-DD.
payments-error-manual-future = The payment date cannot be in the future.
payments-error-manual-method = Choose a method: transfer, cash or card.
payments-error-manual-title = The title may have at most 200 characters.
payments-flash-recorded = Payment booked. Credit left: { $credit }.
payments-flash-reversed = The payment was reversed and the customer's allocations laid out again.
payments-error-reversal-reason = Give a reason for the reversal.
payments-error-already-reversed = This payment is reversed already.
payments-error-empty = The file is empty.
payments-error-not-text = This is not a text file in UTF-8, Windows-1250 or ISO-8859-2 (UTF-16 or a binary file?). Save the statement as text and try again.
payments-error-no-transactions = The file contains no transactions.
payments-error-not-mt940 = This is not an MT940 statement (no :61: lines). If it is CSV, choose the CSV format.
payments-error-bad-date = Line { $line }: "{ $value }" is not a date.
payments-error-bad-date-column = Line { $line }, column { $column }: "{ $value }" is not a date.
payments-error-bad-amount = Line { $line }: "{ $value }" is not an amount.
payments-error-bad-amount-column = Line { $line }, column { $column }: "{ $value }" is not an amount.
payments-error-missing-field = Line { $line }: the field { $field } is missing.
payments-error-no-pln-account = The file has no account in PLN (skipped currencies: { $currencies }); only PLN can be booked.
payments-error-not-elixir = This is not an Elixir-0 file (no line starts with a payment type and a date). Choose the right format.
payments-error-unclosed-quote = Line { $line }, column { $column }: a quote opened here is never closed.
payments-error-bad-entry = Line { $line }: the :61: transaction cannot be read.
payments-error-unknown-column = Unknown column in the CSV header: "{ $column }".
payments-error-column-count = Line { $line }: expected { $expected } columns separated by semicolons, found { $found }.
payments-error-too-many-lines = The file has more than { $max } transactions; split it.
payments-error-not-in-preview = This import was committed or discarded already.
payments-error-conflict = Another import booked some of these transactions meanwhile. Upload the file again.
payments-error-import-failed = The import could not be processed.
payments-error-no-file = Choose a statement file.
payments-error-file-too-big = The file is too large.
payments-error-not-in-queue = This payment is no longer waiting to be assigned.
payments-flash-committed = Booked { $booked } payments, { $amount }; to assign: { $unmatched }; held as possible duplicates: { $held }; skipped as imported before: { $duplicates }.
payments-flash-held-booked = The payment was booked although it resembles an earlier one. Credit left: { $credit }.
payments-flash-held-queued = The payment was accepted; it matches no customer, so it waits to be assigned.
payments-error-not-held = This payment is no longer held.
payments-flash-discarded = Import discarded; nothing was booked.
payments-flash-assigned = Payment assigned and booked. Credit left: { $credit }.

## Charges queued for the billing run (customer account page)
charges-title = Charges for the next periodic invoice
charges-intro = One-off charges (a router, an installation, a technician's visit) added to the invoice for the chosen period by the next billing run. Gross amount.
charges-none = There are no waiting or billed charges.
charges-col-period = Period
charges-col-name = Name on the invoice
charges-col-vat = VAT rate
charges-col-amount = Gross amount
charges-col-state = State
charges-waiting = waiting for the run
charges-billed = on invoice { $number }
charges-remove = Remove
charges-add = Add a charge
charges-amount-label = Gross amount (zł)
charges-period-label = Billing period
charges-period-hint = YYYY-MM, e.g. 2026-12. The charge goes on that month's invoice.
charges-add-button = Queue for billing
charges-flash-queued = Charge queued; it goes on the invoice for { $period }.
charges-flash-removed = Charge removed.
charges-error-not-waiting = This charge can no longer be removed: it is on an invoice or gone.
charges-error-name = Give a name (at most 200 characters).
charges-error-amount = Enter a gross amount above zero and at most 100 000 zł, e.g. 149,99.
charges-error-period = Enter the period as YYYY-MM, e.g. 2026-12.
charges-error-past-period = That period is closed; choose the current one or a later one.

refunds-staff-nav = Overpayment refunds
refunds-staff-title = Overpayment refunds
refunds-staff-intro = Overpayments chosen on a correction to be refunded to the customer's account. The refund has already left the customer's balance; once the transfer is made, mark it sent.
refunds-staff-none = There are no refunds to make.
refunds-staff-chosen = Chosen
refunds-staff-customer = Customer
refunds-staff-correction = Correction
refunds-staff-account = Account
refunds-staff-amount = Amount
refunds-staff-state = State
refunds-staff-mark-sent = Mark sent
refunds-staff-sent-on = Sent
refunds-staff-sent = The refund is marked sent.
refunds-staff-already-sent = This refund was already marked sent.
refunds-staff-through-payu = This refund goes back through PayU; mark it by hand only once PayU cancels or refuses it.
