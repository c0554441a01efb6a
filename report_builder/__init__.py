"""report_builder: civil-affairs tables in, checked Chinese work reports out."""
