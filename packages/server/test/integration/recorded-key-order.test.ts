import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { javaHashMapOrder } from '../support/hashmap-order.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Key order pinned to the recorded Bigin answers (reference §4, §5, §8), key for key: a user, the
// org and a field's metadata. The tests' own HashMap implementation must reproduce each recorded
// order from the key set (so the recording and the algorithm agree), and the server must write
// exactly that order.

const USER = `country Preferred_Currency__s language microsoft $shift_effective_from id state fax
  country_locale sandboxDeveloper zip decimal_separator created_time time_format offset profile
  created_by zuid full_name phone dob status role customize_info city signature sort_order_preference
  name_format locale personal_account Isonline default_tab_group Modified_By street $current_shift alias
  theme first_name email status_reason__s website Modified_Time $next_shift mobile last_name time_zone
  number_separator confirm date_format category`.split(/\s+/);
const ORG = `country hierarchy_preferences photo_id city description mc_status gapps_enabled
  lite_users_enabled domain_name translation_enabled street alias currency deletable_org_account id state
  fax employee_count zip website currency_symbol mobile currency_locale primary_zuid zia_portal_id
  time_zone zgid country_code license_details phone company_name privacy_settings primary_email
  hipaa_compliance_enabled iso_code`.split(/\s+/);
const FIELD = `webhook colour_code_enabled_by_system field_label tooltip display_format_properties type
  field_read_only display_label read_only association_details businesscard_supported multi_module_lookup
  id created_time filterable visible profiles view_type subform separator searchable external api_name
  parent_field unique enable_colour_code child_fields pick_list_values system_mandatory virtual_field
  json_type crypt range created_source display_type ui_type modified_time quick_sequence_number
  email_parser currency custom_field lookup address length display_field
  pick_list_values_sorted_lexically sortable global_picklist display_format history_tracking data_type
  formula decimal_place mass_update multiselectlookup auto_number`.split(/\s+/);

const A = orgIds(7676767, 'rkey');
const TOKEN = 'recorded-key-order-token-0000000';
let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A, {
    extraTokens: [
      {
        token: TOKEN,
        user: A.user.admin,
        scope: 'ZohoBigin.users.ALL,ZohoBigin.org.ALL,ZohoBigin.settings.ALL',
        expiresAt: FAR_FUTURE,
      },
    ],
  });
  t = await startTestServer({ fixture: { organizations: [org] } });
});
afterAll(() => t?.close());

const get = async <T>(path: string) => (await call(t.url, 'GET', path, TOKEN)).json as T;

describe('recorded key order', () => {
  it.each([
    ['user', USER, 50],
    ['org', ORG, 35],
    ['field', FIELD, 56],
  ])('the recorded %s order is HashMap order of its keys', (_name, recorded, size) => {
    expect(recorded).toHaveLength(size);
    expect(new Set(recorded).size).toBe(size);
    expect(javaHashMapOrder(recorded)).toEqual(recorded);
    // From another insertion order only ties may move; the buckets' sequence is the algorithm's.
    expect(javaHashMapOrder([...recorded].sort())).not.toEqual([...recorded].sort());
  });

  it('writes a user in the recorded order', async () => {
    const body = await get<{ users: Array<Record<string, unknown>> }>(`/bigin/v2/users/${A.user.rep1}`);
    expect(Object.keys(body.users[0]!)).toEqual(USER);
  });

  it('writes the org in the recorded order', async () => {
    const body = await get<{ org: Array<Record<string, unknown>> }>('/bigin/v2/org');
    expect(Object.keys(body.org[0]!)).toEqual(ORG);
  });

  it("writes a quick-create field's metadata in the recorded order, and others without its one extra key", async () => {
    const body = await get<{ fields: Array<Record<string, unknown>> }>(
      '/bigin/v2/settings/fields?module=Contacts',
    );
    const lastName = body.fields.find((f) => f.api_name === 'Last_Name')!;
    expect(Object.keys(lastName)).toEqual(FIELD);
    const title = body.fields.find((f) => f.api_name === 'Title')!;
    expect(Object.keys(title)).toEqual(FIELD.filter((k) => k !== 'quick_sequence_number'));
  });
});
