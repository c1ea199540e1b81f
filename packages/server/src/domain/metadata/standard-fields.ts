import type { ModuleApiName } from '@bigin-attachments/contract';
import { type DataType, DEFAULT_LENGTH, type FieldDef } from './field-model.js';

/*
 * Bigin's standard fields per module. Names, types and lengths of Contacts come from the recorded
 * field metadata (reference §8); the other modules follow the same pattern from Bigin's docs and
 * the recorded reads (§1.5–1.7). Order is the order a record's keys are inserted in before HashMap
 * ordering, which decides ties within a bucket (`id` before `Created_By` before `Tag`, §1.9).
 */

type Extra = Partial<Omit<FieldDef, 'apiName' | 'label' | 'dataType'>>;

function f(apiName: string, label: string, dataType: DataType, extra: Extra = {}): FieldDef {
  return {
    apiName,
    label,
    dataType,
    length: DEFAULT_LENGTH[dataType],
    mandatory: false,
    unique: false,
    readOnly: false,
    custom: false,
    ...extra,
  };
}

const ro = { readOnly: true } as const;

/** Fields every module has, in Bigin's insertion order around the module's own. */
const head = (): FieldDef[] => [f('Owner', 'Owner', 'ownerlookup')];
const tail = (opts: { activity?: boolean; image?: boolean } = {}): FieldDef[] => [
  f('Created_By', 'Created By', 'ownerlookup', ro),
  f('Modified_By', 'Modified By', 'ownerlookup', ro),
  f('Created_Time', 'Created Time', 'datetime', ro),
  f('Modified_Time', 'Modified Time', 'datetime', ro),
  ...(opts.activity ? [f('Last_Activity_Time', 'Last Activity Time', 'datetime', ro)] : []),
  ...(opts.image ? [f('Record_Image', 'Record Image', 'profileimage', ro)] : []),
  f('Tag', 'Tag', 'text', { list: true }),
  f('Locked__s', 'Locked', 'boolean', ro),
  f('Record_Creation_Source_ID__s', 'Record Creation Source ID', 'bigint', ro),
];

const address = (prefix: 'Mailing' | 'Billing'): FieldDef[] => [
  f(`${prefix}_Street`, `${prefix} Street`, 'text', { length: 250 }),
  f(`${prefix}_City`, `${prefix} City`, 'text', { length: 100 }),
  f(`${prefix}_State`, `${prefix} State`, 'text', { length: 100 }),
  f(
    prefix === 'Mailing' ? 'Mailing_Zip' : 'Billing_Code',
    prefix === 'Mailing' ? 'Mailing Zip' : 'Billing Code',
    'text',
    { length: 30 },
  ),
  f(`${prefix}_Country`, `${prefix} Country`, 'text', { length: 100 }),
];

const description = () => f('Description', 'Description', 'textarea');

export const STANDARD_FIELDS: Readonly<Record<ModuleApiName, readonly FieldDef[]>> = {
  Contacts: [
    ...head(),
    f('First_Name', 'First Name', 'text', { length: 40 }),
    f('Last_Name', 'Last Name', 'text', { length: 80, mandatory: true }),
    f('Full_Name', 'Full Name', 'text', { length: 120, readOnly: true }),
    f('Account_Name', 'Company Name', 'lookup', { lookup: 'Accounts' }),
    f('Email', 'Email', 'email', { unique: true }),
    f('Title', 'Title', 'text', { length: 100 }),
    f('Phone', 'Phone', 'phone', { length: 50 }),
    f('Home_Phone', 'Home Phone', 'phone'),
    f('Mobile', 'Mobile', 'phone'),
    f('Email_Opt_Out', 'Email Opt Out', 'boolean'),
    f('Unsubscribed_Mode', 'Unsubscribed Mode', 'picklist', {
      readOnly: true,
      picklist: ['Consent form', 'Manual', 'Unsubscribe link', 'Zoho campaigns'],
    }),
    f('Unsubscribed_Time', 'Unsubscribed Time', 'datetime', ro),
    ...address('Mailing'),
    description(),
    ...tail({ activity: true, image: true }),
  ],
  Accounts: [
    ...head(),
    f('Account_Name', 'Company Name', 'text', { length: 200, mandatory: true, unique: true }),
    f('Phone', 'Phone', 'phone'),
    f('Website', 'Website', 'website'),
    f('Account_Number', 'Account Number', 'bigint', ro),
    ...address('Billing'),
    description(),
    ...tail({ activity: true, image: true }),
  ],
  Pipelines: [
    ...head(),
    f('Deal_Name', 'Deal Name', 'text', { length: 255, mandatory: true, unique: true }),
    f('Account_Name', 'Company Name', 'lookup', { lookup: 'Accounts' }),
    f('Contact_Name', 'Contact Name', 'lookup', { lookup: 'Contacts' }),
    f('Amount', 'Amount', 'currency'),
    f('Closing_Date', 'Closing Date', 'date'),
    // Pipelines, sub-pipelines and their stages are each organisation's own and not modelled
    // here (docs/records.md), so their picklists take any value (D23).
    f('Pipeline', 'Pipeline', 'picklist', {
      mandatory: true,
      picklist: ['Sales Pipeline Standard'],
      openPicklist: true,
    }),
    f('Sub_Pipeline', 'Sub-Pipeline', 'picklist', {
      mandatory: true,
      picklist: ['Sales Pipeline Standard'],
      openPicklist: true,
    }),
    f('Stage', 'Stage', 'picklist', {
      mandatory: true,
      openPicklist: true,
      picklist: [
        'Qualification',
        'Needs Analysis',
        'Proposal/Price Quote',
        'Negotiation/Review',
        'Closed Won',
        'Closed Lost',
      ],
    }),
    description(),
    ...tail({ activity: true }),
  ],
  Products: [
    ...head(),
    f('Product_Name', 'Product Name', 'text', { length: 200, mandatory: true, unique: true }),
    f('Product_Code', 'Product Code', 'text', { length: 40 }),
    f('Unit_Price', 'Unit Price', 'currency'),
    f('Qty_in_Stock', 'Quantity in Stock', 'double'),
    f('Product_Active', 'Product Active', 'boolean'),
    f('Tax', 'Tax', 'multiselectpicklist', { list: true, picklist: [] }),
    description(),
    ...tail({ image: true }),
  ],
  Tasks: [
    ...head(),
    f('Subject', 'Subject', 'text', { mandatory: true }),
    f('Due_Date', 'Due Date', 'date'),
    f('Status', 'Status', 'picklist', {
      picklist: ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'],
    }),
    f('Priority', 'Priority', 'picklist', { picklist: ['High', 'Highest', 'Low', 'Lowest', 'Normal'] }),
    description(),
    ...tail(),
  ],
  Events: [
    ...head(),
    f('Event_Title', 'Title', 'text', { mandatory: true }),
    f('Start_DateTime', 'From', 'datetime', { mandatory: true }),
    f('End_DateTime', 'To', 'datetime', { mandatory: true }),
    f('All_day', 'All day', 'boolean'),
    f('Venue', 'Venue', 'text'),
    description(),
    ...tail(),
  ],
  Calls: [
    ...head(),
    f('Subject', 'Subject', 'text', { mandatory: true }),
    f('Call_Type', 'Call Type', 'picklist', { mandatory: true, picklist: ['Outbound', 'Inbound', 'Missed'] }),
    f('Call_Start_Time', 'Call Start Time', 'datetime', { mandatory: true }),
    f('Call_Duration', 'Call Duration', 'text', { length: 10, mandatory: true }),
    f('Call_Purpose', 'Call Purpose', 'picklist', {
      picklist: ['Prospecting', 'Administrative', 'Negotiation', 'Demo', 'Project', 'Support'],
    }),
    description(),
    ...tail(),
  ],
  Notes: [
    ...head(),
    f('Note_Title', 'Note Title', 'text', { length: 120 }),
    f('Note_Content', 'Note Content', 'textarea', { mandatory: true }),
    f('Parent_Id', 'Parent ID', 'lookup', { lookup: 'se_module', mandatory: true }),
    f('se_module', 'Module', 'text', { length: 120, mandatory: true }),
    ...tail(),
  ],
};
