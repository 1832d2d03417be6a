-- Look-ups by certificate number (search by code, import de-duplication of credit codes).
CREATE INDEX subject_cert_no_idx ON subject (cert_no);
