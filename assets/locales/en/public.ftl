# Public pages: the start page and the terms of service.

public-start-title = Welcome to e-BOK
public-start-heading = Your subscriber account in one place
public-start-lead = Invoices and payments, services and IP addresses, service requests, contracts and notices — at any time, without calling the office.
public-start-needs = To open an account you need your contract number, your PESEL number and the e-mail address given in the contract.
public-network-heading = Network status
public-network-ok = The network is running normally. We know of no outages or planned maintenance.
public-outage = Outage
public-maintenance = Maintenance
public-planned-from = planned from { $at }
public-since = since { $at }
public-until = until { $at }
public-news-heading = News
public-news-empty = No news yet.

public-terms-title = e-BOK terms of service
public-terms-version = Version { $version }
public-terms-1 = e-BOK is the online customer service office of { $isp }, available to subscribers who have a contract with the operator.
public-terms-2 = The subscriber opens the account by giving the contract number, the PESEL number of the person who signed the contract and the e-mail address stated in the contract. A link sent to that address activates the account.
public-terms-3 = The subscriber keeps the password safe and does not share it with anyone. Two-step login can be turned on.
public-terms-4 = In e-BOK the subscriber sees their contracts, services, invoices and payments, reports faults and other matters to the customer office, and manages consents, including consent to electronic invoices.
public-terms-5 = The operator processes personal data in accordance with the GDPR in order to perform the contract. The PESEL number is not stored in readable form.
public-terms-6 = Logins and changes to security settings are recorded; the subscriber can see them on the Security page.
public-terms-7 = For e-BOK matters, contact the customer office
public-terms-7-phone = by phone at { $phone }
public-terms-7-email = or by e-mail at { $email }
