# Shared by every page: layout, navigation, counts.

site-tagline = customer self-service portal
site-tagline-staff = staff panel
skip-to-content = Skip to content
nav-main = Main navigation
nav-menu = Menu
nav-dashboard = Dashboard
nav-contracts = Contracts
nav-services = Services
nav-domains = Domains
nav-invoices = Invoices
nav-balance = Balance
nav-tickets = Tickets
nav-news = News
nav-notices = Notices
nav-profile = My details
nav-contacts = Contacts
nav-security = Security
nav-start = Home
nav-log-in = Log in
nav-register = Create account
nav-log-out = Log out
nav-staff-home = Panel
nav-staff-paper = Paper invoices
nav-staff-series = Numbering series
footer-office = Customer service
footer-email = E-mail
language-label = Language
language-pl = Polski
language-en = English

count-services = { $count ->
    [one] { $count } service
   *[other] { $count } services
}
count-domains = { $count ->
    [one] { $count } domain
   *[other] { $count } domains
}
count-invoices = { $count ->
    [one] { $count } invoice
   *[other] { $count } invoices
}
count-tickets = { $count ->
    [one] { $count } ticket
   *[other] { $count } tickets
}
count-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
