DROP VIEW attendance_cells;
DROP VIEW session_facts;
