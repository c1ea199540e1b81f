import { describe, expect, it } from 'vitest';
import { CoqlSyntaxError, parseCoql } from './coql-parser.js';

// The COQL grammar (docs/coql.md): the reference's valid and invalid inputs, and where a refusal points.

describe('valid COQL', () => {
  it.each([
    // Bigin's get-records-coql sample.
    "select Last_Name, Email from Contacts where Last_Name = 'Watson' limit 10",
    // Zoho's sample: nested brackets, a bare word as a value.
    "select Last_Name, First_Name, Full_Name, Lead_Source from Contacts where (((Last_Name = 'Boyle') and (Lead_Source = Advertisement)) and Languages_Known = 'English;German') limit 2",
    // Zoho's COQL FAQ: a quoted field name; the bracketed three criteria.
    "select 'External' from Contacts where id is not null",
    'select id from Contacts where ((id is not null and Account_Name is not null) and Vendor_Name is not null)',
    // Keywords in any case, every clause.
    "SELECT Last_Name FROM Contacts WHERE Last_Name LIKE '%son' ORDER BY Last_Name DESC LIMIT 5 OFFSET 10",
    'select Deal_Name from Pipelines where Amount between 100 and 200.50',
    "select Deal_Name from Pipelines where Stage not in ('Closed Won', 'Closed Lost')",
    "select Deal_Name from Pipelines where (Amount not between -5 and 5 or Deal_Name not like '%x%')",
    'select Product_Name from Products where Product_Active = true',
    'select Last_Name from Contacts',
    'select Last_Name from Contacts limit 10, 20;',
    'select Last_Name from Contacts offset 400',
    'select Account_Name.Account_Name from Contacts',
  ])('%s', (query) => {
    expect(() => parseCoql(query)).not.toThrow();
  });

  it('reads clauses, values and escapes into the query tree', () => {
    expect(
      parseCoql(
        "select Last_Name, 'Title' from Contacts where (Last_Name = 'O\\'Brien' or Email like '50\\%%') order by Email desc limit 3, 7",
      ),
    ).toEqual({
      select: [
        { path: ['Last_Name'], at: 7 },
        { path: ['Title'], at: 18 },
      ],
      from: { name: 'Contacts', at: 31 },
      where: {
        kind: 'or',
        left: {
          kind: 'criterion',
          column: { path: ['Last_Name'], at: 47 },
          comparator: '=',
          values: [
            {
              kind: 'string',
              text: "O'Brien",
              at: 59,
              wild: [false, false, false, false, false, false, false],
            },
          ],
          at: 57,
        },
        right: {
          kind: 'criterion',
          column: { path: ['Email'], at: 73 },
          comparator: 'like',
          values: [{ kind: 'string', text: '50%%', at: 84, wild: [false, false, false, true] }],
          at: 79,
        },
      },
      orderBy: { column: { path: ['Email'], at: 102 }, desc: true },
      limit: { value: 7, at: 122 },
      offset: { value: 3, at: 119 },
    });
  });
});

describe('invalid COQL: a syntax error that says where', () => {
  it.each<[string, string, number]>([
    ['', 'the query is empty', 0],
    ['   ', 'the query is empty', 3],
    ['delete from Contacts', 'only a select query is allowed', 0],
    ["update Contacts set Last_Name = 'x'", 'only a select query is allowed', 0],
    ['select from Contacts', "'from' is a keyword: quote it to use it as a field API name", 7],
    ['select * from Contacts', "'*' is not allowed: name the fields to select", 7],
    ['select Last_Name Contacts', "expected ',' or 'from' after the selected fields", 17],
    ['select Last_Name from', 'expected a module API name', 21],
    ['select Last_Name from Contacts where', 'expected a field API name', 36],
    ['select Last_Name from Contacts where Last_Name', 'expected a comparator', 46],
    ['select Last_Name from Contacts where Last_Name =', 'expected a value', 48],
    ["select Last_Name from Contacts where Last_Name == 'x'", 'expected a value', 48],
    ["select Last_Name from Contacts where (Last_Name = 'x'", "expected ')'", 53],
    ["select Last_Name from Contacts where Last_Name = 'x')", 'unexpected text', 52],
    [
      'select id from Contacts where id is not null and Account_Name is not null and Vendor_Name is not null',
      'more than two criteria must be enclosed in brackets, as in (A and (B and C))',
      74,
    ],
    [
      'select Last_Name from Contacts where Last_Name = null',
      "compare with null using 'is null' or 'is not null'",
      49,
    ],
    ['select Last_Name from Contacts where Last_Name is nothing', "expected 'null' after 'is'", 50],
    [
      'select Last_Name from Contacts where Last_Name not = 1',
      "expected 'like', 'in' or 'between' after 'not'",
      51,
    ],
    ['select Last_Name from Contacts where Last_Name like x', "'like' takes a quoted pattern", 52],
    ["select Last_Name from Contacts where Last_Name in 'a'", "expected '(' after 'in'", 50],
    [
      "select Last_Name from Contacts where Last_Name in ('a' 'b')",
      "expected ',' or ')' in the list of values",
      55,
    ],
    [
      'select Last_Name from Contacts where Amount between 1 or 2',
      "expected 'and' between the two values of 'between'",
      54,
    ],
    ["select Last_Name from Contacts where Last_Name = 'x", 'unterminated string', 49],
    ['select Last_Name from Contacts where Amount = 12abc', 'malformed number', 46],
    ['select Last_Name from Contacts where Last_Name # 1', "unexpected character '#'", 47],
    ['select Last_Name from Contacts order Last_Name', "expected 'by' after 'order'", 37],
    ['select id from Contacts order by id, id', 'unexpected text', 35],
    ['select Last_Name from Contacts limit ten', "'limit' takes a whole number", 37],
    ['select Last_Name from Contacts limit -1', "'limit' takes a whole number", 37],
    ['select Last_Name from Contacts limit 1.5', "'limit' takes a whole number", 37],
    ['select Last_Name from Contacts limit 5 offset', "'offset' takes a whole number", 45],
    ['select Last_Name from Contacts limit 5 where id is null', 'unexpected text', 39],
    ['select Last_Name from Contacts;;', 'unexpected text', 31],
    [
      'select Last_Name. from Contacts',
      "'from' is a keyword: quote it to use it as a field API name after the dot",
      18,
    ],
    [
      `select id from Contacts where ${'('.repeat(40)}id is null${')'.repeat(40)}`,
      'the query is too complex',
      63,
    ],
  ])('%s', (query, reason, position) => {
    let error: unknown;
    try {
      parseCoql(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoqlSyntaxError);
    expect({
      reason: (error as CoqlSyntaxError).reason,
      position: (error as CoqlSyntaxError).position,
    }).toEqual({
      reason,
      position,
    });
  });
});
