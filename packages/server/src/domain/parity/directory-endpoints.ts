import type { FailureName } from '@bigin-attachments/contract';
import type { Endpoint } from './endpoint-answers.js';
import { BIGIN_STATUS, decided, doc, EVERY_CALL, RECORD_WRITE, RECORDED } from './provenance.js';

/**
 * The users, organisation, profiles, roles and metadata endpoints of the parity ledger
 * (docs/directory-and-metadata.md), apart from endpoint-answers.ts for size.
 */
export function directoryEndpoints(): {
  DIRECTORY_ENDPOINTS: readonly Endpoint[];
  SETTINGS_ENDPOINTS: readonly Endpoint[];
} {
  const BIGIN_V2 = 'https://www.bigin.com/developer/docs/apis/v2';
  const perUser = (status: number, answer: string, page: string) => ({
    status,
    answer,
    provenance: doc(`${BIGIN_V2}/${page}`, 'D24'),
  });

  /** Users and the organisation (docs/directory-and-metadata.md), on v2 and v1 alike. */
  const DIRECTORY_ENDPOINTS: readonly Endpoint[] = [
    {
      method: 'GET',
      path: '/bigin/v2/users',
      route: '/bigin/v2/users',
      successes: [
        {
          status: 200,
          answer: 'a page of users',
          provenance: { ...doc(`${BIGIN_V2}/get-users.html`), recorded: RECORDED },
        },
        { status: 204, answer: 'nobody on this page', provenance: doc(BIGIN_STATUS, 'D-12c') },
      ],
      failures: [...EVERY_CALL, 'INVALID_DATA'],
    },
    {
      method: 'POST',
      path: '/bigin/v2/users',
      route: '/bigin/v2/users',
      successes: [
        perUser(201, 'User added', 'add-user.html'),
        { status: 400, answer: 'the user refused (per-item error)', provenance: decided('D24') },
      ],
      failures: [...EVERY_CALL, ...RECORD_WRITE],
    },
    ...(
      [
        ['/bigin/v2/users', '/bigin/v2/users'],
        ['/bigin/v2/users/{user_id}', '/bigin/v2/users/:userId'],
      ] as const
    ).map(([path, route]) => ({
      method: 'PUT',
      path,
      route,
      successes: [
        perUser(200, 'the only user updated', 'update-user.html'),
        { status: 202, answer: 'several users updated', provenance: decided('D24, records D1') },
        { status: 207, answer: 'some updated, some refused', provenance: decided('D24, records D1') },
        { status: 400, answer: 'every user refused (per-item errors)', provenance: decided('D24') },
      ],
      failures: [...EVERY_CALL, ...RECORD_WRITE],
    })),
    {
      method: 'GET',
      path: '/bigin/v2/users/{user_id}',
      route: '/bigin/v2/users/:userId',
      successes: [
        {
          status: 200,
          answer: 'the user',
          provenance: { ...doc(`${BIGIN_V2}/get-users.html`), recorded: RECORDED },
        },
        { status: 204, answer: 'no such user', provenance: decided('D-12c') },
      ],
      failures: [...EVERY_CALL],
    },
    {
      method: 'DELETE',
      path: '/bigin/v2/users/{user_id}',
      route: '/bigin/v2/users/:userId',
      successes: [
        perUser(200, 'User deleted', 'delete-user.html'),
        {
          status: 400,
          answer: 'no such user, or the primary user (per-item error)',
          provenance: decided('D24'),
        },
      ],
      failures: [...EVERY_CALL, 'NO_PERMISSION'],
    },
    {
      method: 'GET',
      path: '/bigin/v2/org',
      route: '/bigin/v2/org',
      successes: [
        {
          status: 200,
          answer: 'the organisation',
          provenance: { ...doc(`${BIGIN_V2}/get-org-data.html`), recorded: RECORDED },
        },
      ],
      failures: [...EVERY_CALL],
    },
  ];

  /** Profiles, roles and metadata: v2 only (their v1 shapes are unknown; docs/v1.md). */
  const SETTINGS_ENDPOINTS: readonly Endpoint[] = (
    [
      ['/settings/profiles', '/settings/profiles', 'get-profiles.html', 'the profiles', null],
      ['/settings/profiles/{profile_id}', '/settings/profiles/:id', 'get-profiles.html', 'the profile', null],
      ['/settings/roles', '/settings/roles', 'get-roles.html', 'the roles', null],
      ['/settings/roles/{role_id}', '/settings/roles/:id', 'get-roles.html', 'the role', null],
      ['/settings/modules', '/settings/modules', 'modules-api.html', 'the modules', RECORDED],
      [
        '/settings/modules/{module_api_name}',
        '/settings/modules/:apiName',
        'module-meta.html',
        'the module',
        null,
      ],
      ['/settings/fields', '/settings/fields', 'field-meta.html', "the module's fields", RECORDED],
      ['/settings/fields/{field_id}', '/settings/fields/:id', 'field-meta.html', 'the field', null],
      ['/settings/layouts', '/settings/layouts', 'layouts-meta.html', "the module's layouts", null],
      ['/settings/layouts/{layout_id}', '/settings/layouts/:id', 'layouts-meta.html', 'the layout', null],
      [
        '/settings/related_lists',
        '/settings/related_lists',
        'related-list-meta.html',
        "the module's related lists",
        null,
      ],
    ] as const
  ).map(([path, route, page, answer, recorded]) => {
    const byModule = /fields|layouts|related_lists/.test(path);
    const one = path.includes('{');
    return {
      method: 'GET',
      path: `/bigin/v2${path}`,
      route: `/bigin/v2${route}`,
      successes: [
        { status: 200, answer, provenance: { ...doc(`${BIGIN_V2}/${page}`, 'D-12a'), recorded } },
        ...(one && !path.includes('modules')
          ? [{ status: 204, answer: 'no such id', provenance: decided('D-12c') }]
          : []),
      ],
      failures: [
        ...EVERY_CALL,
        ...(byModule || /profiles|roles/.test(path) ? (['NO_PERMISSION'] as const) : []),
        ...(byModule ? (['REQUIRED_PARAM_MISSING'] as const) : []),
      ] as readonly FailureName[],
    };
  });

  return { DIRECTORY_ENDPOINTS, SETTINGS_ENDPOINTS };
}
