import type { Migration } from './migration';

/**
 * PostgreSQL: the database itself enforces that only reviewers adjudicate, so a labeler with table
 * grants cannot decide images with plain SQL. Triggers (owned by the schema owner; a labeler can
 * neither drop nor disable them) refuse with `insufficient_privilege` (42501), unless
 * `sonofuse_is_reviewer()` (superuser, or member of role `sonofuse_reviewer`, the app's own check):
 * - a decided label (`image_labels` INSERT/UPDATE/DELETE) of a task that asks for several raters;
 * - a task's `raters` set or changed to more than one, or lowered (label_tasks);
 * - a history row marked as an adjudication;
 * - another role's rater label (`rater_labels`) written, moved or deleted.
 * Deletes cascading from an image or dataset (RI actions, run as the schema owner) are not checked
 * row by row (pg_trigger_depth): deleting images is a matter of the grants on images.
 * Triggers run as the invoking role (`current_user`), so the app's adjudication, signed in as the
 * reviewer, passes unchanged. SQLite: one workstation, the role is a setting; nothing to do.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'pg-reviewer-guard',
  up() {
    // SQLite: no database roles; the app checks the reviewer setting.
  },
  postgres: `
    CREATE FUNCTION sonofuse_is_reviewer() RETURNS boolean LANGUAGE plpgsql STABLE AS $f$
    BEGIN
      IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN RETURN true; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sonofuse_reviewer') THEN RETURN false; END IF;
      RETURN pg_has_role(current_user, 'sonofuse_reviewer', 'MEMBER');
    END $f$;

    CREATE FUNCTION sonofuse_multi_rater(task bigint) RETURNS boolean LANGUAGE sql STABLE AS $f$
      SELECT coalesce((SELECT raters FROM label_tasks WHERE id = task), 1) > 1
    $f$;

    CREATE FUNCTION sonofuse_reviewer_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    DECLARE
      refused text := NULL;
    BEGIN
      -- A cascade (an image or dataset deleted) is checked where it started, not row by row here.
      IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN RETURN OLD; END IF;
      -- The cheap row checks first; the role lookup only for the rows a labeler may not write.
      IF TG_TABLE_NAME = 'image_labels' THEN
        IF (TG_OP <> 'DELETE' AND sonofuse_multi_rater(NEW.task_id))
           OR (TG_OP <> 'INSERT' AND sonofuse_multi_rater(OLD.task_id)) THEN
          refused := 'only a reviewer adjudicates: the task asks for several raters';
        END IF;
      ELSIF TG_TABLE_NAME = 'label_tasks' THEN
        IF (TG_OP = 'INSERT' AND NEW.raters > 1) OR (TG_OP = 'UPDATE' AND NEW.raters IS DISTINCT FROM OLD.raters) THEN
          refused := 'only a reviewer sets how many raters a task asks for';
        END IF;
      ELSIF TG_TABLE_NAME = 'history' THEN
        refused := 'only a reviewer adjudicates';
      ELSIF TG_TABLE_NAME = 'rater_labels' THEN
        IF (TG_OP <> 'DELETE' AND NEW.rater IS DISTINCT FROM current_user::text)
           OR (TG_OP <> 'INSERT' AND OLD.rater IS DISTINCT FROM current_user::text) THEN
          refused := 'a rater label is written by its own rater';
        END IF;
      END IF;
      IF refused IS NOT NULL AND NOT sonofuse_is_reviewer() THEN
        RAISE EXCEPTION '%', refused USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $f$;

    CREATE TRIGGER image_labels_reviewer_only BEFORE INSERT OR UPDATE OR DELETE ON image_labels
      FOR EACH ROW EXECUTE FUNCTION sonofuse_reviewer_only();
    CREATE TRIGGER label_tasks_reviewer_only BEFORE INSERT OR UPDATE OF raters ON label_tasks
      FOR EACH ROW EXECUTE FUNCTION sonofuse_reviewer_only();
    CREATE TRIGGER history_reviewer_only BEFORE INSERT ON history
      FOR EACH ROW WHEN (NEW.adjudication <> 0) EXECUTE FUNCTION sonofuse_reviewer_only();
    CREATE TRIGGER rater_labels_reviewer_only BEFORE INSERT OR UPDATE OR DELETE ON rater_labels
      FOR EACH ROW EXECUTE FUNCTION sonofuse_reviewer_only();
  `,
};
