# The mailing list: leaving it from a marketing mail, and the staff form that writes one.
mailing-leave-title = Leave the mailing list
mailing-leave-intro = One click takes you off the mailing list: you will get no more offers and promotions from us. Mail about invoices, payments and outages keeps coming.
mailing-leave-button = Take me off
mailing-left-heading = You have left the mailing list
mailing-left-text = We will send you no more offers and promotions. You can join again in e-BOK under "My details".
mailing-link-inactive-heading = This link no longer works
mailing-link-inactive-text = The link was used already or has expired. If you still get offers from us, sign in to e-BOK and untick the mailing list under "My details".
mailing-staff-title = Mailing list
mailing-staff-intro = The message goes only to customers on the mailing list (consent given in e-BOK). Each copy has its own one-click leave link.
mailing-staff-subscribers = Customers on the list: { $count }
mailing-subject = Subject
mailing-body = Message
mailing-body-hint = Plain text. The footer with the leave link is added for you.
mailing-send = Send to the list
mailing-sent = The message is waiting to be sent to { $count } { $count ->
    [one] customer
   *[other] customers
}.
mailing-error-subject = Enter a subject (at most 150 characters).
mailing-error-body = Enter the message (at most 20,000 characters).
staff-nav-mailing-list = Mailing list
