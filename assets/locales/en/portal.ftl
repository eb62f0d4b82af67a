# The subscriber's portal: dashboard, contracts, services, domains, notices, news, profile.

dashboard-hello = Hello, { $name }
dashboard-customer-number = Customer number
dashboard-bank-account = Your account number for payments
dashboard-offer = Offer
dashboard-offer-more = Offer details
dashboard-tile-services = { $count ->
    [one] active service
   *[other] active services
}
dashboard-tile-domains = { $count ->
    [one] domain
   *[other] domains
}
dashboard-tile-unpaid = { $count ->
    [one] unpaid invoice
   *[other] unpaid invoices
}
dashboard-tile-overdue = overdue: { $count }
dashboard-tile-tickets = { $count ->
    [one] open ticket
   *[other] open tickets
}
dashboard-shortcuts = Shortcuts
dashboard-report-fault = Report a fault
dashboard-pay = Pay
dashboard-last-invoice = Download invoice { $number }
dashboard-payments = Latest payments
dashboard-payments-none = No payments yet.
dashboard-payments-all = Balance and all payments
dashboard-tickets = Recent tickets
dashboard-tickets-none = You have no tickets. When something does not work, use “Report a fault”.

notices-none = Nothing needs your attention right now.
notices-all = All notices
notice-overdue-title = Invoice { $number } is overdue
notice-overdue-body = { $amount } to pay, due { $due } ({ $days ->
    [one] { $days } day ago
   *[other] { $days } days ago
}).
notice-overdue-action = Pay now
notice-service-title = { $days ->
    [0] Service “{ $name }” expires today
    [one] Service “{ $name }” expires tomorrow
   *[other] Service “{ $name }” expires in { $days } days
}
notice-service-body = Expires on { $date }. Renew it to avoid an interruption.
notice-service-renews = Renews automatically on { $date }.
notice-service-action = Manage the service
notice-domain-title = { $days ->
    [0] Domain { $name } expires today
    [one] Domain { $name } expires tomorrow
   *[other] Domain { $name } expires in { $days } days
}
notice-domain-body = Expires on { $date }. Turn on renewal or renew it so you do not lose it.
notice-domain-renews = Renews automatically on { $date }.
notice-domain-action = Go to domains
notice-contract-title = { $days ->
    [0] Contract { $number } ends today
    [one] Contract { $number } ends tomorrow
   *[other] Contract { $number } ends in { $days } days
}
notice-contract-continues = The contract term ends on { $date }; the contract then continues for an indefinite period. Ask us about a new offer.
notice-contract-terminates = The contract expires on { $date }. Contact us to extend it.
notice-contract-action = Contract details
notice-balance-title = Low prepaid balance
notice-balance-body = You have { $credit } of credit, less than { $threshold }. Top up so that the next charges are covered.
notice-balance-action = See the balance

news-none = There is no news and no outage right now.
news-kind-news = News
news-kind-outage = Outage
news-kind-maintenance = Maintenance
news-area = area: { $area }
news-confirm = I have read it
news-confirmed = Thank you, the notice is marked as read.

contracts-none = You have no contracts in e-BOK yet.
contract-number = Contract { $number }
contract-status-active = active
contract-status-suspended = suspended
contract-status-terminated = terminated
contract-holder = Subscriber
contract-tariff = Tariff
contract-speed = { $down }/{ $up } Mb/s
contract-fee = Monthly fee (gross)
contract-billing-day = Billing day
contract-billing-day-value = day { $day } of each month
contract-signed = Signed
contract-term = Term
contract-term-fixed = fixed term: { $start } – { $end } ({ $months } months)
contract-term-indefinite = indefinite, from { $start }
contract-after-term-indefinite = After the term the contract continues for an indefinite period.
contract-after-term-terminate = After the term the contract expires.
contract-install-address = Installation address
contract-services = Services
contract-documents = Documents
contract-documents-none = No documents are attached to this contract in e-BOK.

services-none = You have no services yet.
service-contract = Contract
services-name = Service
services-kind = Kind
services-status = Status
services-activated = Active since
services-expires = Valid until
services-price = Monthly price
services-access = Access
services-renews = renews
services-no-expiry = no end date (part of the contract)
services-renewal-price = renewal { $price }
services-renewal = Renewal
services-renewal-on = The service renews automatically.
services-renewal-off = The service does not renew by itself.
services-renewal-turn-on = Turn renewal on
services-renewal-turn-off = Turn renewal off
services-pppoe-wrong-password = The account password is wrong.
services-pppoe-throttled = Too many failed attempts.
renewal-on = Automatic renewal is on.
renewal-off = Automatic renewal is off.
service-kind-internet = Internet
service-kind-tv = Television
service-kind-phone = Phone
service-kind-hosting = Hosting
service-kind-static_ip = Static IP address
service-kind-other = Other
service-status-active = active
service-status-suspended = suspended
service-status-ended = ended
endpoints = Access points
endpoints-none = This service has no access points.
endpoint-ipv4 = IPv4 address
endpoint-ipv6 = IPv6 prefix
endpoint-dynamic = assigned automatically
endpoint-mac = MAC address
endpoint-pppoe-login = PPPoE login
endpoint-pppoe-password = PPPoE password
endpoint-pppoe-reveal-label = Your e-BOK account password
endpoint-pppoe-reveal = Show the PPPoE password
endpoint-address = Installation address
endpoint-access-on = on
endpoint-access-off = off
endpoint-access-off-help = contact customer service or pay the overdue invoices.

domains-none = You have no domains yet.
domains-name = Domain
domains-registered = Registered
domains-expires = Expires
domains-renewal-price = Renewal price
domains-expiring-soon = { $days ->
    [one] { $days } day left
   *[other] { $days } days left
}
domains-auto-renew-on = Renews.
domains-auto-renew-off = Does not renew.
domain-status-active = active
domain-status-expired = expired
domain-status-pending = being registered
domain-status-transferred_out = transferred away

profile-data = Details
profile-customer-number = Customer number
profile-name = Name
profile-first-name = First name
profile-last-name = Last name
profile-company-name = Company name
profile-legal-address = Home / registered address (on invoices)
profile-email = E-mail
profile-email-change = change
profile-pending = Changes waiting for approval
profile-pending-since = requested { $date }
profile-withdraw = Withdraw
profile-field-name = Name
profile-field-pesel = PESEL
profile-field-nip = NIP (tax id)
profile-field-address = Address
profile-contact = Contact
profile-contact-help = Phone and correspondence address change at once.
profile-phone = Phone
profile-correspondence-address = Correspondence address
profile-correspondence-help = Leave empty to use the home address.
profile-address-line = Street and number
profile-postal-code = Postal code
profile-city = Town
profile-save = Save
profile-request-change = Changing the data on your contract
profile-request-help = Changes of name, PESEL, NIP or the address on invoices are checked by customer service; until then the current data apply.
profile-send-request = Send for approval
profile-settings = Settings
profile-notifications = E-mail notifications
profile-notify-invoices = new invoices
profile-notify-reminders = reminders of payments and of when services, domains and contracts renew or end
profile-notify-outages = outages and maintenance
profile-notify-tickets = replies to tickets
profile-consents = Consents
profile-consent-einvoice = I agree to receive invoices electronically (e-invoice).
profile-consent-marketing = Put me on the mailing list: offers and promotions by e-mail. Every message lets me leave with one click.
profile-consent-given = Given on { $date } (text { $version }).
profile-consent-withdrawn = Withdrawn on { $date }.
profile-consent-text-version = Consent text: { $version }.
profile-contact-saved = Contact details saved.
profile-change-requested = Your change request has been sent. It applies once approved.
profile-change-withdrawn = Request withdrawn.
profile-preferences-saved = Settings saved.
profile-error-phone = Enter a phone number: 9–15 digits, e.g. +48 601 234 567.
profile-error-address-line = Enter the street and number (up to 120 characters).
profile-error-postal-code = The postal code looks like 00-000.
profile-error-city = Enter the town (up to 60 characters).
profile-error-first-name = Enter the first name (up to 60 characters).
profile-error-last-name = Enter the last name (up to 80 characters).
profile-error-company-name = Enter the company name (up to 200 characters).
profile-error-pesel = This is not a valid PESEL number.
profile-error-nip = This is not a valid NIP number.
