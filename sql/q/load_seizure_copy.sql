COPY iafq.seizure (submission_id, seizure_id, sheet_row, origin, date, place_type,
                   place, arm_type, quantity, make, model, calibre, marking,
                   manufacture_country, departure_country, destination_country,
                   tracing, notes)
FROM STDIN
