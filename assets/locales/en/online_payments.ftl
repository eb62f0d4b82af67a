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
