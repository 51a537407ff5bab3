-- Magnetiq migration 8: the main navigation is chosen (docs/schema.md, D25).

-- D25: until now every live page with a positive sort_order was in the main navigation of every
-- page, so a site of N pages carried N links on each of them. The navigation is now the setting
-- `main_navigation` (a JSON list of page slugs, at most 8, edited in the studio's settings);
-- sort_order only orders lists. A site keeps the menu it had: its first 8 such pages.
INSERT INTO system_settings (key, value, description, type)
SELECT 'main_navigation', COALESCE(json_group_array(slug), '[]'),
       'Page slugs in the main navigation, in order', 'json'
FROM (
    SELECT slug FROM pages
    WHERE sort_order > 0 AND deleted_at IS NULL AND template != 'legal' AND slug != 'home'
    ORDER BY sort_order, id
    LIMIT 8
) AS first_pages
WHERE true  -- SQLite needs it to read ON CONFLICT as the upsert
ON CONFLICT (key) DO NOTHING;
