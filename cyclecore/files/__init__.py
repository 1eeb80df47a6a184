"""Files in and out: line files (YAML/JSON), spot CSVs, plant files, and the checks a loaded line
passes; every problem names the file, the field path and what was expected."""
