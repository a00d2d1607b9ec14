"""The business rules in plain Python: GraphQL, Open311 and the command line share them."""
