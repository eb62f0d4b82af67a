# Support tickets: subscriber pages, staff queue, canned responses.

tickets-title = Support tickets
tickets-new-button = New ticket
tickets-empty = You have no tickets yet. If something does not work or you have a question, write to us.
tickets-column-number = Number
tickets-column-subject = Subject
tickets-column-category = Category
tickets-column-status = Status
tickets-column-updated = Last change
tickets-column-customer = Subscriber
tickets-column-assignee = Assignee
tickets-opened = Opened

tickets-status-new = new
tickets-status-open = in progress
tickets-status-waiting_customer = waiting for your reply
tickets-status-answered = answered
tickets-status-closed = closed

tickets-category-fault = technical fault
tickets-category-billing = billing
tickets-category-contract = contract change
tickets-category-other = other

tickets-new-title = New ticket
tickets-back-to-list = All tickets
tickets-choose = — choose —
tickets-field-category = What is it about
tickets-field-service = Service
tickets-service-none = no particular service
tickets-field-subject = Subject
tickets-field-message = Message
tickets-field-attachments = Attachments (optional)
tickets-attachments-hint = { $count ->
    [one] At most { $count } PDF, JPEG or PNG file of up to 5 MB.
   *[other] At most { $count } PDF, JPEG or PNG files, each up to 5 MB.
}
tickets-submit = Send ticket
tickets-attachments = Attachments
tickets-author-customer = You
tickets-author-staff = Customer service
tickets-internal-note = Internal note
tickets-reply-heading = Reply
tickets-send-reply = Send reply
tickets-close = Close ticket — all sorted
tickets-reopen = Reopen
tickets-closed-reopen-until = This ticket is closed. If the problem is back, you can reopen it until
tickets-closed-for-good = This ticket was closed more than 14 days ago and can no longer be reopened. If the problem is back,
tickets-flash-opened = We have received your ticket and will reply as soon as we can.
tickets-flash-replied = Your reply has been sent.
tickets-flash-closed = The ticket has been closed.
tickets-flash-reopened = The ticket has been reopened.

tickets-error-not-found = There is no such ticket.
tickets-error-category = Choose what the ticket is about.
tickets-error-service = Choose one of your services or "no particular service".
tickets-error-subject = Enter a subject (at most { $max } characters).
tickets-error-body = Enter a message (at most { $max } characters).
tickets-error-too-many-files = You can attach at most 5 files at once. Please choose the files again.
tickets-error-file-too-large = The file "{ $name }" is larger than 5 MB. Make it smaller or attach another one, and choose the files again.
tickets-error-file-type = The file "{ $name }" is not a PDF document or a JPEG or PNG picture (we check the content, not the name). Please choose the files again.
tickets-error-closed = This ticket is closed. Reopen it to add a message.
tickets-error-not-closed = This ticket is not closed.
tickets-error-reopen-expired = This ticket was closed more than 14 days ago and can no longer be reopened. Please open a new ticket.
tickets-error-status = Choose a status from the list.
tickets-error-assignee = A ticket can only be assigned to an active staff member who handles tickets.
tickets-error-internal = The changes could not be saved. Please try again in a moment.

tickets-staff-title = Subscriber tickets
tickets-nav-staff = Tickets
tickets-staff-empty = No tickets match these filters.
tickets-staff-limit = Showing the { $count } oldest tickets; narrow the filters to see the rest.
tickets-staff-back = Ticket queue
tickets-staff-customer-tickets = all tickets of this subscriber
tickets-staff-notes-hidden = Internal notes are visible only to support staff and administrators.
tickets-staff-reply-heading = Reply to the subscriber
tickets-staff-reply-label = Reply (the subscriber sees it and gets an e-mail if they want one)
tickets-staff-send-reply = Send reply
tickets-staff-note-label = Note (not visible to the subscriber)
tickets-staff-add-note = Add note
tickets-staff-manage = Status and assignee
tickets-staff-change-status = Change status
tickets-staff-assign = Assign
tickets-unassigned = unassigned
tickets-filter-not-closed = all not closed
tickets-filter-all = all
tickets-filter-any = any
tickets-filter-anyone = anyone
tickets-filter-older-than = Older than (days)
tickets-filter-show = Show
tickets-filter-customer = Only tickets of the subscriber with id { $customer }.
tickets-filter-clear-customer = Show all subscribers
tickets-flash-staff-replied = Reply sent to the subscriber.
tickets-flash-note-added = Internal note added.
tickets-flash-status-changed = Ticket status changed.
tickets-flash-assigned = Ticket assignee changed.

tickets-canned-title = Canned responses
tickets-canned-intro = Texts that can be inserted into a ticket reply and edited before sending. Inactive ones are not offered on the ticket page.
tickets-canned-choose = Canned response
tickets-canned-use = Insert into reply
tickets-canned-field-title = Name
tickets-canned-field-body = Text
tickets-canned-field-active = Active
tickets-canned-save = Save
tickets-canned-new = New canned response
tickets-canned-add = Add
tickets-canned-flash-created = Canned response added.
tickets-canned-flash-saved = Canned response saved.
tickets-canned-error-title = Enter a name (at most 100 characters).
tickets-canned-error-body = Enter the text of the response.
tickets-canned-error-not-found = There is no such canned response.

# The same statuses as staff see them ("waiting for the customer", not "for your reply").
tickets-staff-status-new = new
tickets-staff-status-open = in progress
tickets-staff-status-waiting_customer = waiting for the customer
tickets-staff-status-answered = answered
tickets-staff-status-closed = closed
tickets-author-customer-for-staff = Customer
