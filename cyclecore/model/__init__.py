"""The line as a value: stations, robots, tasks, calendar, costs, robot models, plants, errors.

Everything here is immutable and validated; every other layer reads it and never changes it.
"""
