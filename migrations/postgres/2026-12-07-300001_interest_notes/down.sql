DROP TABLE eur_exchange_rates;
DROP TABLE interest_note_allocations;
DROP TABLE interest_note_items;
DROP TABLE interest_notes;
DROP TABLE interest_note_counters;
