DROP TABLE check_in_codes;
