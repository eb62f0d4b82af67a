# Subscribers: paying invoices online through PayU.

online-pay-button = Pay online
online-pay-overdue-button = Pay all overdue invoices online
online-pay-off = Online payments are not enabled. Please pay by bank transfer to the account shown with the invoice.
online-pay-nothing = This invoice is already paid.
online-pay-nothing-overdue = No invoice is past its due date.
online-pay-payu-down = PayU could not be reached. Nothing was charged; the invoice still waits to be paid, please try again in a moment.
online-title = Online payment
online-state-completed = Paid. Thank you — the payment is booked.
online-state-pending = The payment is in progress. PayU has not confirmed it yet; refresh this page in a moment.
online-state-canceled = The payment was cancelled. Nothing was charged; you can pay again.
online-state-flagged = The payment needs to be checked by customer service. We will contact you if needed.
online-refresh = Refresh
online-back-to-payu = Back to the payment at PayU
online-what = For
online-amount = Amount
online-to-invoices = Invoices
online-to-balance = Balance

# Subscribers: top-up packages.
top-up-title = Top-ups
top-up-link = Top up
top-up-details = details
top-up-credit = Credit to use
top-up-lapsed-total = Lapsed unused
top-up-explain = A top-up is a prepayment: its value pays your next invoices, starting with the top-up that lapses soonest. Whatever is unused when its validity ends lapses and is shown below. VAT is on the invoices the top-up pays.
top-up-packages = Packages
top-up-no-packages = There are no top-up packages on sale now.
top-up-package = Package
top-up-price = Price
top-up-value = Value
top-up-validity = Validity
top-up-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
top-up-buy = Buy and pay online
top-up-mine = My top-ups
top-up-none-yet = You have no top-ups yet.
top-up-bought = Bought
top-up-valid-until = Valid until
top-up-used = Used
top-up-left = Left
top-up-lapsed = Lapsed
top-up-is-lapsed = lapsed
top-up-lapse-entry = Unused top-up value lapsed
top-up-gone = This package is no longer on sale. Please choose another.
top-up-payu-down = PayU could not be reached. Nothing was charged; please try buying the top-up again shortly.

# Staff: top-up packages.
top-up-staff-nav = Top-ups
top-up-staff-title = Top-up packages
top-up-staff-intro = The subscriber pays the price and gets the value to spend on invoices for the given number of days. A top-up is a prepayment for telecom services: it is not taxed when paid (art. 19a(5)(4) and 19a(8) of the VAT Act); VAT is on the invoices it pays. Changing a package does not change top-ups already bought.
top-up-staff-off-sale = withdrawn
top-up-staff-withdraw = Withdraw from sale
top-up-staff-put-on-sale = Put back on sale
top-up-staff-new = New package
top-up-staff-price = Price (PLN gross)
top-up-staff-value = Top-up value (PLN)
top-up-staff-validity = Validity (days)
top-up-staff-add = Add package
top-up-staff-created = Package added and put on sale.
top-up-staff-on-sale = The package is on sale again.
top-up-staff-withdrawn = Package withdrawn from sale. Top-ups already bought keep working.
top-up-problem-name_missing = Enter the package name.
top-up-problem-name_too_long = The name may be at most 100 characters.
top-up-problem-bad_price = The price must be an amount from 0.01 to 100,000 PLN, e.g. 181.00.
top-up-problem-bad_value = The value must be an amount from 0.01 to 100,000 PLN, e.g. 234.00.
top-up-problem-value_below_price = The top-up value cannot be lower than the price.
top-up-problem-bad_validity = Validity is a number of days from 1 to 3660.

# Staff: online payment orders.
online-staff-nav = Online payments
online-staff-title = Online payments (PayU)
online-staff-flagged = To look into
online-staff-no-flagged = Nothing waits to be looked into.
online-staff-flagged-intro = PayU reported another amount or currency than the order's, or money for a cancelled order. Nothing was booked. Check the payment in the PayU panel; book a payment that should count by hand on the payments page, and record here what you found.
online-staff-order = Order
online-staff-customer = Customer no.
online-staff-why = Reason
online-staff-resolution = What you found
online-staff-resolve = Save resolution
online-staff-recent = Latest orders
online-staff-none = There are no online payments yet.
online-staff-placed = Placed
online-staff-state = State
online-staff-state-new = new
online-staff-state-pending = processing at PayU
online-staff-state-completed = paid
online-staff-state-canceled = cancelled
online-staff-cancel-payu = by PayU
online-staff-cancel-expired = after 2 hours
online-staff-cancel-not_placed = PayU unavailable
online-staff-is-flagged = to look into
online-staff-was-flagged = resolved
online-staff-resolved = Resolution saved.
online-staff-resolution-missing = Enter what you found.
online-staff-resolution-too-long = The resolution may be at most 500 characters.
online-staff-not-waiting = This order does not wait to be looked into (someone resolved it already).
