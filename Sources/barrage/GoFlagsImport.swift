// AttackFlags.swift is edited on another branch; until it imports GoFlags itself, this re-export makes the flag
// set visible there. Remove once it does.
@_exported import GoFlags
