# Staff panel: customers, profile changes, manual invoices, seller data, notices.

staff-nav-customers = Customers
staff-nav-new-customer = New customer
staff-nav-profile-changes = Profile changes to approve
staff-nav-tickets = Tickets
staff-nav-billing-run = Monthly billing
staff-nav-payments = Payments
staff-nav-paper-invoices = Invoices to post
staff-nav-news = Notices and banner
staff-nav-series = Invoice numbering series
staff-nav-seller = Seller details

staff-home-title = Staff panel
staff-home-signed-in = Signed in as { $name }
staff-home-pending-changes = { $count ->
    [one] One profile change is waiting for a decision.
   *[other] { $count } profile changes are waiting for a decision.
}
staff-role-admin = administrator
staff-role-billing = billing
staff-role-support = customer support
staff-role-none = no permissions

staff-save = Save
staff-cancel = Cancel
staff-retire = Retire
staff-status = Status
staff-date = Date
staff-description = Description
staff-monthly-fee = Monthly fee
staff-indefinite = indefinite
staff-record-saved = Changes saved.

staff-customers-title = Customers
staff-search-label = Find a customer
staff-search-placeholder = name, company, contract no., NIP, e-mail, phone, IP, invoice no.
staff-search-button = Search
staff-search-hint = One box: we tell the kind from how it is written (10.64.0.2 is an IP address, FV/2026/11/000001 an invoice number).
staff-search-found = { $count ->
    [0] nothing found
    [one] one customer
   *[other] { $count } customers
}
staff-search-truncated = Showing the first 50 matches. Narrow the search, e.g. add a first name or a town.
staff-search-kind-customer-number = Searched by customer number
staff-search-kind-nip = Searched by NIP
staff-search-kind-email = Searched by e-mail address (and PPPoE login)
staff-search-kind-phone = Searched by phone number
staff-search-kind-ip = Searched by IP address
staff-search-kind-mac = Searched by MAC address
staff-search-kind-document = Searched by invoice or contract number
staff-search-kind-name = Searched by last name, first name or company name

staff-customer-number = Customer no.
staff-customer-name = Customer
staff-customer-kind = Customer type
staff-kind-person = private person
staff-kind-company = company
staff-customer-first-name = First name
staff-customer-last-name = Last name
staff-customer-person = Name
staff-customer-company-name = Company name
staff-customer-company-hint = Companies only; the name is then the contact person.
staff-customer-pesel-hint = { $last4 ->
    [none] Required for private persons. We keep only a keyed hash and the last four digits.
   *[other] The stored PESEL ends in { $last4 }. Leave empty to keep it.
}
staff-customer-nip-hint = Required for companies, e.g. 526-000-12-46.
staff-customer-address = Address
staff-customer-address-line = Street and number
staff-customer-postal-code = Postal code
staff-customer-city = Town
staff-customer-correspondence = Correspondence address (if different)
staff-customer-email = E-mail
staff-customer-phone = Phone
staff-customer-language = Language of correspondence
staff-customer-bank-account = Individual account for payments
staff-customer-since = Customer since
staff-customer-new-title = New customer
staff-customer-edit-title = Customer details
staff-customer-created = Customer added.
staff-customer-saved = Customer details saved.

staff-card-edit = Edit details
staff-card-new-invoice = Issue an invoice
staff-card-tickets-link = Customer's tickets
staff-card-pending-changes = { $count ->
    [one] The customer asked for a change of details – waiting for a decision.
   *[other] The customer asked for changes of details ({ $count }) – waiting for a decision.
}
staff-card-data = Customer details
staff-card-contracts = Contracts
staff-card-services = Services and network access
staff-card-endpoints = Access (IP, MAC, PPPoE)
staff-card-invoices = Invoices
staff-card-ledger = Ledger
staff-card-tickets = Tickets
staff-card-consents = Consents
staff-card-audit = Change history
staff-card-none = None.
staff-card-add-contract = Add a contract
staff-card-add-service = Add a service
staff-card-add-endpoint = Add access
staff-card-balance = Balance
staff-card-credit = Overpayment
staff-card-to-pay = To pay
staff-card-correct = Correct

staff-contract-number = Contract number
staff-contract-tariff = Tariff
staff-contract-period = Period
staff-contract-install-address = Installation address
staff-contract-signed-on = Signed on
staff-contract-starts-on = Service starts on
staff-contract-ends-on = Contract ends on
staff-contract-term = Minimum term (months)
staff-contract-after-term = After the minimum term
staff-after-term-indefinite = the contract continues indefinitely
staff-after-term-terminate = the contract expires
staff-contract-billing-day = Billing day (1–28)
staff-contract-form-title = Contract
staff-contract-status-active = active
staff-contract-status-suspended = suspended
staff-contract-status-terminated = terminated

staff-service-form-title = Service
staff-service-name = Service
staff-service-kind = Service type
staff-service-kind-internet = internet
staff-service-kind-tv = television
staff-service-kind-phone = phone
staff-service-kind-hosting = hosting
staff-service-kind-static_ip = static IP address
staff-service-kind-other = other
staff-service-status-active = active
staff-service-status-suspended = suspended
staff-service-status-ended = ended
staff-service-activated-on = Activated on
staff-service-expires-on = Expires on
staff-service-no-contract = no contract

staff-endpoint-form-title = Network access
staff-endpoint-ipv4 = IPv4 address
staff-endpoint-pppoe-login = PPPoE login
staff-endpoint-pppoe-password = PPPoE password
staff-endpoint-pppoe-password-hint = Leave empty to keep the stored password.
staff-endpoint-access-enabled = Access enabled
staff-endpoint-blocked = blocked

staff-invoice-number = Number
staff-invoice-issue-date = Issue date
staff-invoice-due-date = Due date
staff-invoice-gross = Gross
staff-invoice-paid = Paid
staff-invoice-correction = correction
staff-invoice-form-title = One-off invoice
staff-invoice-series = Numbering series
staff-invoice-no-contract = no contract
staff-invoice-payment-days = Payment term (days)
staff-invoice-lines = Lines
staff-invoice-lines-hint = Empty rows are skipped. Quantity and price may use a decimal comma, e.g. 1,5 and 199,00.
staff-invoice-prices-net = The buyer is a business: enter net prices; VAT is charged on the net total.
staff-invoice-prices-gross = The buyer is a consumer: enter gross prices, as advertised.
staff-invoice-issue = Issue the invoice
staff-invoice-issued = Invoice { $number } issued.
staff-line-keep = Keep
staff-line-name = Name
staff-line-quantity = Quantity
staff-line-unit = Unit
staff-line-unit-price = Unit price
staff-line-unit-price-net = Net unit price
staff-line-unit-price-gross = Gross unit price
staff-line-vat-rate = VAT rate
staff-correction-form-title = Correct invoice
staff-correction-intro = Enter the lines as they should read; untick those that must go. The correction shows before, after and the difference.
staff-correction-reason = Reason for the correction
staff-correction-lines = Lines after the correction
staff-correction-issue = Issue the correction
staff-correction-issued = Corrective invoice { $number } issued.

staff-payment-status-unpaid = unpaid
staff-payment-status-partly_paid = partly paid
staff-payment-status-overdue = overdue
staff-payment-status-paid = paid
staff-payment-status-credit = credit note
staff-ledger-charge = Charge
staff-ledger-payment = Payment
staff-ledger-balance = Balance

staff-consent-kind = Consent
staff-consent-decision = Decision
staff-consent-text = Text version
staff-consent-granted = granted
staff-consent-withdrawn = withdrawn
staff-consent-in-force = in force

staff-audit-action = Event
staff-audit-who = Who
staff-audit-details = Details
staff-audit-actor-customer = customer
staff-audit-actor-staff = staff
staff-audit-actor-system = system
staff-audit-actor-anonymous = not signed in

staff-changes-title = Profile changes to approve
staff-changes-intro = Subscribers ask to change details that appear on contracts and invoices. Check the documents, then approve (the change lands in the customer's record) or reject with an explanation.
staff-changes-empty = Nothing is waiting for a decision.
staff-changes-field-name = Name
staff-changes-field-address = Address
staff-changes-field-nip = NIP
staff-changes-field-pesel = PESEL
staff-changes-what = Field
staff-changes-before = Now
staff-changes-after = After the change
staff-changes-part-first_name = First name
staff-changes-part-last_name = Last name
staff-changes-part-company_name = Company name
staff-changes-part-address_line = Street and number
staff-changes-part-postal_code = Postal code
staff-changes-part-city = Town
staff-changes-part-nip = NIP
staff-changes-part-pesel = PESEL
staff-changes-approve = Approve
staff-changes-reject = Reject
staff-changes-note = Explanation for the customer
staff-changes-approved = Change approved; the customer's details are updated.
staff-changes-rejected = Change request rejected.
staff-changes-not-pending = This request has already been decided or withdrawn.
staff-changes-invalid = The requested details are not valid (e.g. a wrong NIP check digit, or another customer has this PESEL). Reject the request with an explanation.
staff-changes-note-required = To reject a request, write an explanation for the customer.

staff-seller-title = Seller details
staff-seller-intro = These details go on every new invoice. Issued invoices do not change. Every change is recorded in the history.
staff-seller-name = Full name
staff-seller-short-name = Short name
staff-seller-website = Website
staff-seller-bank-name = Bank
staff-seller-bank-account = Main account
staff-seller-account-prefix = Individual account prefix
staff-seller-account-prefix-hint = The bank's sort code (8 digits) and the fixed part agreed with the bank. Applies to customers added after the change.
staff-seller-saved = Seller details saved.

staff-announcements-title = Notices and offer banner
staff-news-new = New notice
staff-banner-new = New banner
staff-news-list = News and outages
staff-banner-list = Offer banners on the dashboard
staff-news-form-title = Notice
staff-banner-form-title = Offer banner
staff-news-title = Title
staff-news-body = Text
staff-news-kind = Type
staff-news-kind-news = news
staff-news-kind-outage = outage
staff-news-kind-maintenance = maintenance
staff-news-urgent = Urgent
staff-news-area = Area
staff-news-area-hint = Empty: all subscribers. A town name: only subscribers with an installation in that town.
staff-area-all = everyone
staff-news-when = When
staff-news-published-at = Published
staff-news-published-at-hint = Empty: at once. Polish time.
staff-news-starts-at = Outage or works start
staff-news-starts-at-hint = Required for outages and maintenance.
staff-news-ends-at = End
staff-banner-starts-at = Show from
staff-banner-link = Link
staff-banner-link-hint = A portal page (e.g. /uslugi) or an https:// address
staff-announcement-state-live = live
staff-announcement-state-scheduled = scheduled
staff-announcement-state-ended = ended
staff-announcement-state-retired = retired
staff-announcement-saved = Notice saved.
staff-announcement-retired = Retired; subscribers no longer see it.
staff-announcement-already-retired = This notice was already retired.

staff-error-required = This field is required.
staff-error-kind = Choose: private person or company.
staff-error-pesel = The PESEL number is not valid: check it has 11 digits and no typo.
staff-error-pesel-taken = A customer with this PESEL already exists. Find them instead of adding a new one.
staff-error-nip = The NIP is not valid: 10 digits with a correct check digit, e.g. 526-000-12-46.
staff-error-postal-code = Write the postal code as 00-000.
staff-error-correspondence = Give the whole correspondence address (street, postal code, town) or leave it empty.
staff-error-email = Enter a valid e-mail address, e.g. jan.kowalski@example.com.
staff-error-phone = Enter a phone number: 9 digits or a number with the country code, e.g. +48 512 345 678.
staff-error-language = Choose the language of correspondence.
staff-error-date = Enter the date as YYYY-MM-DD.
staff-error-datetime = Enter a date and time.
staff-error-amount = Enter an amount in złoty, e.g. 59,99.
staff-error-contract-number = Contract number: 3–32 characters, letters, digits and / - . _, e.g. UM/2026/00123.
staff-error-contract-number-taken = A contract with this number already exists.
staff-error-tariff = Choose a tariff.
staff-error-ends-before-start = The end cannot be before the start.
staff-error-term = The minimum term is 1 to 60 months.
staff-error-choice = Choose one of the options given.
staff-error-billing-day = The billing day is a number from 1 to 28.
staff-error-ipv4 = Enter an IPv4 address, e.g. 10.64.0.2.
staff-error-ipv4-taken = This IP address is already assigned to another access.
staff-error-mac = A MAC address has 12 hexadecimal digits, e.g. 02:ab:cd:00:11:22.
staff-error-pppoe-login = PPPoE login: 3–64 characters, letters without diacritics, digits and . _ - @.
staff-error-pppoe-login-taken = This PPPoE login is already taken.
staff-error-quantity = The quantity must be greater than zero (at most 6 decimal places).
staff-error-vat-rate = Choose a VAT rate.
staff-error-payment-days = The payment term is 0 to 90 days.
staff-error-no-lines = Add at least one line.
staff-error-too-large = The amounts are too large.
staff-error-series = Choose an active numbering series (an administrator sets them up under "Numbering series").
staff-error-reason = Give the reason for the correction.
staff-error-nothing-changes = The correction changes nothing: change at least one line.
staff-error-buyer-address = The customer has no complete address, and an invoice must show it. Complete the customer's details.
staff-error-buyer-nip = The company has no valid NIP. Complete the customer's details.
staff-error-no-seller = The seller's details are missing. An administrator must fill them in.
staff-error-regon = A REGON has 9 or 14 digits.
staff-error-nrb = The account number is not valid: 26 digits with correct check digits.
staff-error-account-prefix = Account prefix: the bank's sort code (8 digits with a valid check digit) and at most 12 more digits.
staff-error-account-prefix-too-long = The prefix is too long: customer numbers will not fit into the account number.
staff-error-area = The area name is too long (at most 80 characters).
staff-error-title = Give a title (at most 200 characters).
staff-error-link = The link must lead to a portal page (e.g. /uslugi) or start with https://.

# One truth for money: subscription periods
staff-invoice-subscription-period = Subscription for month (YYYY-MM)
staff-invoice-subscription-period-hint = Optional: add the chosen contract's subscription for this month (as the monthly billing run would). A month invoiced already is refused.
staff-error-period = Enter the month as YYYY-MM, e.g. 2026-12.
staff-error-subscription-contract = Choose the contract whose subscription is to be invoiced.
staff-error-nothing-to-bill = This contract has no service to invoice in that month.
staff-error-already-invoiced = This contract's subscription for that month is invoiced already. To invoice it again, first cancel the subscription line with a corrective invoice.
# What an audit entry records, in words (an event not listed shows its code).
staff-audit-event = { $action ->
    [activation] Account activated
    [bank_import_committed] Bank statement booked
    [bank_import_discarded] Bank statement discarded
    [bank_transaction_assigned] Transfer assigned
    [banner_changed] Banner changed
    [banner_created] Banner added
    [banner_retired] Banner retired
    [billing_run_failed] Billing run failed
    [billing_run_finished] Billing run finished
    [billing_run_started] Billing run started
    [canned_response_changed] Canned response changed
    [canned_response_created] Canned response added
    [charge_queued] Charge queued for billing
    [charge_removed] Charge removed from billing
    [consent_granted] Consent granted
    [consent_withdrawn] Consent withdrawn
    [contact_access_revoked] Contact's access revoked
    [contact_invitation_revoked] Invitation revoked
    [contact_invited] Contact invited
    [contact_registered] Contact created a login
    [contract_changed] Contract changed
    [contract_created] Contract added
    [correction_issued] Correction issued
    [customer_changed] Customer details changed
    [customer_created] Customer added
    [email_change_requested] E-mail change requested
    [email_changed] E-mail changed
    [endpoint_changed] Access point changed
    [endpoint_created] Access point added
    [invoice_issued] Invoice issued
    [invoice_posted] Invoice sent by post
    [lockout] Login locked after failed attempts
    [login_failure] Failed login
    [login_success] Logged in
    [logout] Logged out
    [news_changed] News changed
    [news_created] News added
    [mailing_sent] Message sent to the mailing list
    [news_retired] News retired
    [other_sessions_ended] Other sessions ended
    [password_changed] Password changed
    [password_check_failed] Wrong password on confirmation
    [password_reset] New password set
    [password_reset_requested] Password reset requested
    [password_reset_unknown_email] Password reset for an unknown e-mail
    [payment_recorded] Payment booked
    [payment_reversed] Payment reversed
    [dunning_letter_sent] Dunning letter posted
    [refund_sent] Overpayment refund sent
    [pppoe_password_shown] PPPoE password shown
    [preferences_changed] Settings changed
    [profile_change_approved] Profile change approved
    [profile_change_rejected] Profile change rejected
    [profile_change_requested] Profile change requested
    [profile_change_withdrawn] Profile change withdrawn
    [profile_contact_changed] Contact details changed
    [registration] Registration
    [registration_identity_mismatch] Registration: details did not match
    [seller_changed] Seller details changed
    [ksef_settings_changed] KSeF settings changed
    [ksef_resend] Invoice sent to KSeF again
    [ksef_offline_certificate_stored] KSeF Offline certificate stored (KOD II)
    [series_changed] Numbering series changed
    [series_created] Numbering series added
    [service_changed] Service changed
    [service_created] Service added
    [staff_login_failure] Failed staff login
    [staff_login_success] Staff logged in
    [ticket_assigned] Ticket assigned
    [ticket_closed] Ticket closed
    [ticket_customer_reply] Customer replied to a ticket
    [ticket_internal_note] Internal note on a ticket
    [ticket_opened] Ticket opened
    [ticket_reopened] Ticket reopened
    [ticket_staff_reply] Office replied to a ticket
    [ticket_status_changed] Ticket status changed
    [two_factor_disable_refused] Turning off two-step login refused
    [two_factor_disabled] Two-step login turned off
    [two_factor_enable_refused] Turning on two-step login refused
    [two_factor_enabled] Two-step login turned on
   *[other] { $action }
}
staff-consent-kind-einvoice = e-invoice
staff-consent-kind-marketing = mailing list (offers by e-mail)
staff-consent-kind-terms = terms of service
staff-consent-kind-recurring_payments = automatic card payment (recurring payment terms)

staff-nav-audit-log = Audit log
staff-audit-log-title = Audit log
staff-audit-log-intro = Who did what, when and from where: logins, data changes, invoices, payments, tickets. Newest first, at most { $limit } on a page; the CSV file holds every match (up to 50,000).
staff-audit-log-filter = Narrow the log
staff-audit-log-anyone = anyone
staff-audit-log-any-kind = any
staff-audit-log-customer = Customer no.
staff-audit-log-from = From
staff-audit-log-to = To
staff-audit-log-show = Show
staff-audit-log-export = Download CSV
staff-audit-log-empty = No events match.
staff-audit-log-when = When
staff-audit-log-code = Event code
staff-audit-log-ip = IP address
staff-audit-log-error-number = A number must be a whole number above zero; this field was left out.
staff-audit-log-error-date = Give the date as YYYY-MM-DD; this field was left out.
staff-correction-overpaid = Overpayment after the correction
staff-correction-overpaid-hint = When the correction lowers an invoice that is already paid, the overpayment is credited against what the customer owes or refunded to their account.
staff-correction-overpaid-credit = Credit it against what the customer owes
staff-correction-overpaid-refund = Refund it to the customer's account
staff-correction-refund-account = Customer's account for the refund
staff-correction-refund-account-hint = 26 digits (NRB); needed only for a refund.
staff-error-overpaid = Choose what happens to the overpayment.
staff-error-refund-account = Give the customer's valid account number (26 digits) for the refund.
