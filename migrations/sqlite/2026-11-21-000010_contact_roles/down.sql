-- Going back needs no 'full' accounts left; they become technical contacts.
UPDATE accounts SET role = 'technical' WHERE role = 'full';
