import type { ModuleApiName } from '@bigin-attachments/contract';

/**
 * Data types of the fields search criteria may name, per module (Bigin's field metadata types).
 * A small table of our own, to be reconciled with the module-metadata model when that lands.
 * Fields not listed here are refused in criteria (INVALID_QUERY), as Bigin refuses fields the
 * module does not have.
 */
export type FieldDataType =
  | 'text'
  | 'email'
  | 'phone'
  | 'website'
  | 'textarea'
  | 'picklist'
  | 'integer'
  | 'currency'
  | 'decimal'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'lookup'
  | 'ownerlookup';

const SYSTEM: Record<string, FieldDataType> = {
  Owner: 'ownerlookup',
  Created_By: 'ownerlookup',
  Modified_By: 'ownerlookup',
  Created_Time: 'datetime',
  Modified_Time: 'datetime',
};

export const SEARCH_FIELD_TYPES: Readonly<Record<ModuleApiName, Readonly<Record<string, FieldDataType>>>> = {
  Contacts: {
    ...SYSTEM,
    First_Name: 'text',
    Last_Name: 'text',
    Email: 'email',
    Title: 'text',
    Phone: 'phone',
    Mobile: 'phone',
    Home_Phone: 'phone',
    Account_Name: 'lookup',
    Mailing_Street: 'text',
    Mailing_City: 'text',
    Mailing_State: 'text',
    Mailing_Zip: 'text',
    Mailing_Country: 'text',
    Description: 'textarea',
    Email_Opt_Out: 'boolean',
  },
  Accounts: {
    ...SYSTEM,
    Account_Name: 'text',
    Phone: 'phone',
    Website: 'website',
    Billing_Street: 'text',
    Billing_City: 'text',
    Billing_State: 'text',
    Billing_Code: 'text',
    Billing_Country: 'text',
    Description: 'textarea',
  },
  Pipelines: {
    ...SYSTEM,
    Deal_Name: 'text',
    Amount: 'currency',
    Stage: 'picklist',
    Pipeline: 'picklist',
    Sub_Pipeline: 'picklist',
    Closing_Date: 'date',
    Account_Name: 'lookup',
    Contact_Name: 'lookup',
    Description: 'textarea',
  },
  Products: {
    ...SYSTEM,
    Product_Name: 'text',
    Product_Code: 'text',
    Unit_Price: 'currency',
    Qty_in_Stock: 'decimal',
    Product_Active: 'boolean',
    Description: 'textarea',
  },
  Tasks: {
    ...SYSTEM,
    Subject: 'text',
    Status: 'picklist',
    Priority: 'picklist',
    Due_Date: 'date',
    Description: 'textarea',
  },
  Events: { ...SYSTEM, Event_Title: 'text', Venue: 'text', Description: 'textarea' },
  Calls: { ...SYSTEM, Subject: 'text', Call_Type: 'picklist', Description: 'textarea' },
  Notes: { ...SYSTEM, Note_Title: 'text', Note_Content: 'textarea' },
};

/** The operators each data type takes in criteria (Zoho's search docs, operators per field type). */
export const OPERATORS: Readonly<Record<FieldDataType, readonly string[]>> = (() => {
  const text = ['equals', 'not_equal', 'starts_with', 'in'];
  const ordered = [
    'equals',
    'not_equal',
    'greater_equal',
    'greater_than',
    'less_equal',
    'less_than',
    'between',
    'in',
  ];
  return {
    text,
    email: text,
    phone: text,
    website: text,
    textarea: ['equals', 'not_equal', 'starts_with'],
    picklist: ['equals', 'not_equal', 'in'],
    integer: ordered,
    currency: ordered,
    decimal: ordered,
    date: ordered,
    datetime: ordered,
    boolean: ['equals', 'not_equal'],
    lookup: ['equals', 'not_equal', 'in'],
    ownerlookup: ['equals', 'not_equal', 'in'],
  };
})();

/** Fields `email=` and `phone=` search (every email or phone field of the module). */
export function fieldsOfType(module: ModuleApiName, types: readonly FieldDataType[]): string[] {
  return Object.entries(SEARCH_FIELD_TYPES[module])
    .filter(([, t]) => types.includes(t))
    .map(([name]) => name);
}
