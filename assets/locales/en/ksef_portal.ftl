# What subscribers see of their invoices' way to KSeF.

invoices-ksef = KSeF
invoices-ksef-number = KSeF number
invoices-ksef-accepted = accepted by KSeF
invoices-ksef-waiting = waiting for its KSeF number
invoices-ksef-offline = issued offline; it will reach KSeF later
invoices-ksef-explained = The invoice is valid before it gets its KSeF number too. The "KOD I" QR code on the PDF lets anyone check it with the Ministry of Finance.
