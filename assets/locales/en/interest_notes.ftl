# Interest notes ("nota odsetkowa"): staff issue them after late payments; subscribers see and pay them.

interest-note-staff-title = Interest notes
interest-note-staff-intro = Invoices paid after their due date on which statutory interest is owed and which no note bills yet. A note covers all such invoices of the customer; it has its own numbering and is not a VAT invoice.
interest-note-staff-pending = To bill interest for
interest-note-staff-none-pending = No invoice was paid late without an interest note.
interest-note-staff-latest = Notes issued lately
interest-note-staff-none-issued = No interest note has been issued yet.
interest-note-staff-link = Interest notes
interest-note-due = Due date
interest-note-paid-on = Paid on
interest-note-days = Days late
interest-note-principal = Invoice amount
interest-note-interest = Interest
interest-note-issue = Issue the note
interest-note-number = Note number
interest-note-issued-on = Issued on
interest-note-total = Note amount
interest-note-paid = Paid
interest-note-outstanding = To pay
interest-note-issued = Interest note { $number } issued.
interest-note-error-nothing = This customer has no invoice paid late with interest owed (or it is on a note already).
interest-note-error-customer = There is no customer with that number.
interest-note-error-rate = No statutory interest rate is known for part of the delay; complete the rate table in the dunning settings.
interest-note-customer-title = Interest notes
interest-note-customer-intro = Statutory interest on invoices paid after their due date. Pay a note by bank transfer to your account number, with the note's number as the title.
interest-note-customer-settled = paid
