[profile]
name=home
gateway=203.0.113.10
