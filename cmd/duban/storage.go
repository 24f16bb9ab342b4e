package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/config"
)

const storageUsage = `Usage: duban storage migrate --to s3|local [--delete-source]

Copies the content of every attachment between the data directory (local) and the
S3 bucket of the DUBAN_S3_* settings, checking each file's sha256 against the one
recorded at upload, both as it is read and by reading the copy back. Files already
at the destination with the right checksum are skipped, so it can be run again.
--delete-source removes each file from the source once its copy is verified.
Set DUBAN_STORAGE to the destination afterwards (and restart).
`

func storageCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "migrate" {
		fmt.Fprint(stderr, storageUsage)
		return usageError{"storage: the subcommand is migrate"}
	}
	fs := flag.NewFlagSet("storage migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "s3 or local")
	del := fs.Bool("delete-source", false, "remove each file from the source once copied")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || (*to != config.StorageS3 && *to != config.StorageLocal) {
		fmt.Fprint(stderr, storageUsage)
		return usageError{"storage migrate: pass --to s3 or --to local"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if !cfg.Storage.S3Configured() {
		return errors.New("storage migrate: set DUBAN_S3_ENDPOINT and DUBAN_S3_BUCKET (and the credentials) to name the bucket")
	}
	db, err := openMigrated(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	bucket, err := app.NewS3Storage(ctx, cfg)
	if err != nil {
		return err
	}
	var src, dst attachments.Storage = app.LocalStorage(cfg), bucket
	if *to == config.StorageLocal {
		src, dst = dst, src
	}
	rep, err := attachments.MigrateContents(ctx, db, src, dst, attachments.MigrateOptions{
		DeleteSource: *del,
		Progress: func(done, total int, key, outcome string) {
			if outcome == attachments.OutcomeFailed || done == total || done%100 == 0 {
				fmt.Fprintf(stdout, "%d/%d %s %s\n", done, total, outcome, key)
			}
		},
	})
	for _, f := range rep.Failures {
		fmt.Fprintln(stderr, "failed:", f)
	}
	fmt.Fprintf(stdout, "storage migrate to %s: %d files, %d copied, %d already there, %d failed\n",
		*to, rep.Total, rep.Copied, rep.Present, len(rep.Failures))
	if err != nil {
		return err
	}
	if len(rep.Failures) > 0 {
		return fmt.Errorf("storage migrate: %d of %d files failed (listed above); nothing was lost, run it again after fixing them", len(rep.Failures), rep.Total)
	}
	return nil
}
