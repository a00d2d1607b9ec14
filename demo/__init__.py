"""Demo data of Jakarta Timur: its real kelurahan, agencies, categories, people and reports."""
