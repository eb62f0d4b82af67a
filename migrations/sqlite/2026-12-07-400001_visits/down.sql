DROP TABLE visit_slot_holds;
DROP TABLE visits;
DROP TABLE visit_kinds;
DROP TABLE technician_days_off;
DROP TABLE technician_hours;
DROP TABLE technician_areas;
DROP TABLE technicians;
