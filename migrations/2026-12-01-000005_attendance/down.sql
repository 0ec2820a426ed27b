DROP TABLE attendance_history;
DROP TABLE attendance_marks;
DROP TYPE attendance_status;
