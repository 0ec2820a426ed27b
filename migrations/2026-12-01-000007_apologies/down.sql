DELETE FROM attendance_history WHERE new_status IS NULL;
ALTER TABLE attendance_history ALTER COLUMN new_status SET NOT NULL;
DROP TABLE apologies;
