package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0100StatsRollup adds the statistics rollup (issue 13): per scope, month, unit
// (as lead, cooperating, or receiving a follow-up), source and category, the items
// issued, closed, closed on time, their working days to close, extensions, urges
// and failed verifications. The items package keeps it in the transaction of every
// change of an item (internal/stats, rollup.go); stats_rollup_marks remembers what
// each item added, so that a change adds only its difference.
//
// The rollup is filled from the existing items by the application, not here: its
// months are days of the company time zone and its working days those of the
// holiday calendar, both of which the migration does not know. stats_rollup_state
// says which time zone and calendar it was built with; an empty basis (as left
// here) or another one makes the statistics service rebuild it (at start, or at
// the first request, answering from the live tables meanwhile).
func m0100StatsRollup() *gormigrate.Migration {
	stmts := []string{
		`CREATE TABLE stats_rollup (
			scope_id uuid NOT NULL,
			month varchar(7) NOT NULL,
			role varchar(10) NOT NULL,
			unit_id uuid NOT NULL,
			source varchar(40) NOT NULL,
			category varchar(40) NOT NULL,
			assigned bigint NOT NULL DEFAULT 0,
			closed bigint NOT NULL DEFAULT 0,
			closed_on_time bigint NOT NULL DEFAULT 0,
			close_workdays bigint NOT NULL DEFAULT 0,
			extensions_requested bigint NOT NULL DEFAULT 0,
			extensions_granted bigint NOT NULL DEFAULT 0,
			urges_manual bigint NOT NULL DEFAULT 0,
			urges_auto bigint NOT NULL DEFAULT 0,
			verification_failures bigint NOT NULL DEFAULT 0,
			PRIMARY KEY (scope_id, month, role, unit_id, source, category))`,
		`CREATE TABLE stats_rollup_marks (
			item_id uuid NOT NULL PRIMARY KEY,
			facts text NOT NULL)`,
		`CREATE TABLE stats_rollup_state (
			id integer NOT NULL PRIMARY KEY,
			basis varchar(200) NOT NULL DEFAULT '')`,
		`INSERT INTO stats_rollup_state (id, basis) VALUES (1, '')`,
	}
	return &gormigrate.Migration{
		ID: "0100_stats_rollup",
		Migrate: func(tx *gorm.DB) error {
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, t := range []string{"stats_rollup_state", "stats_rollup_marks", "stats_rollup"} {
				if err := tx.Exec("DROP TABLE IF EXISTS " + t).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
