/**
 * How each CRM shows a record field, as data: a field's container, its label and its value. An adapter
 * is chosen by markup it recognises on the page (its `signature`), not by host name, so CRMs on custom
 * domains are recognised too. Every selector comes from public code that reads these CRMs' record
 * pages (named per adapter below); the fixture pages in tests/extension/fixtures/crm/ reproduce that
 * markup, and the tests run each adapter against them.
 */
export type CrmAdapter = {
  id: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive';
  name: string;
  /** Where the analyst enables it: optional host permissions and content-script matches. */
  matches: string[];
  /** Present on this CRM's record pages. */
  signature: string;
  field: {
    container: string;
    /** The label element inside the container. */
    label: string;
    /** Read the label from this attribute of the container first (it survives shadow DOM). */
    labelAttribute?: string;
    value: string;
    /** The value element (or a descendant) may hold the value in one of these attributes. */
    valueAttributes?: string[];
  };
  /**
   * When the page has one of these, only fields inside it count: the CRM keeps earlier records in
   * the DOM, hidden, and only this one is on screen.
   */
  activeScope?: string;
};

export const CRM_ADAPTERS: CrmAdapter[] = [
  {
    // Salesforce Inspector Reloaded (tprouvot/Salesforce-Inspector-reloaded, addon/button.js) and the
    // public Selenium/WebdriverIO/Playwright page objects for Lightning record pages select
    // `records-record-layout-item[field-label="…"]`, its `span.test-id__field-label`, and the value
    // under `[slot="outputField"]` / `lightning-formatted-text` (`[data-output-element-id="output-field"]`).
    // Lightning keeps previously viewed records in `.windowViewMode-normal` hosts; only the one with
    // `active` is on screen (the same page objects scope their XPath to it).
    id: 'salesforce',
    name: 'Salesforce Lightning',
    matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
    signature: 'records-record-layout-item',
    field: {
      container: 'records-record-layout-item',
      labelAttribute: 'field-label',
      label: '.test-id__field-label',
      value:
        '[slot="outputField"], [data-output-element-id="output-field"], .test-id__field-value, lightning-formatted-text',
    },
    activeScope:
      '.windowViewMode-normal.active, .windowViewMode-maximized.active, .windowViewMode-split.active',
  },
  {
    // A public HubSpot extension that annotates record pages (its record-surfaces table) reads rows
    // `ul[data-selenium-test="profile-properties-list"] > span[data-test-id]` and
    // `[data-test-id="crm-property-list-item"]`, the label in `label`, and the value under
    // `[data-selenium-test^="property-input-"]` (the attribute carries the internal name) or
    // `[data-test-id="hover-content-wrapper"]`; a public outreach userscript reads the same list.
    id: 'hubspot',
    name: 'HubSpot',
    matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*', 'https://app-na2.hubspot.com/*'],
    signature:
      'ul[data-selenium-test="profile-properties-list"], [data-test-id="crm-property-list-item"], [data-selenium-test^="property-input-"]',
    field: {
      container:
        'ul[data-selenium-test="profile-properties-list"] > span[data-test-id], [data-test-id="crm-property-list-item"]',
      label: 'label',
      value: '[data-selenium-test^="property-input-"], [data-test-id="hover-content-wrapper"]',
    },
  },
  {
    // A public Zoho CRM userscript reads detail-view fields by `[id^="labelTD_"]` inside
    // `[id^="mouseArea__"]`, with the value in `[id^="value_"]`, often as the `lt-prop-value` (Lyte
    // components) or `cx-prop-value` attribute of a `lyte-text.cxElemCompViewValue` rather than as text.
    id: 'zoho',
    name: 'Zoho CRM',
    matches: [
      'https://crm.zoho.com/*',
      'https://crm.zoho.eu/*',
      'https://crm.zoho.in/*',
      'https://crm.zoho.com.au/*',
    ],
    signature: '[id^="mouseArea__"]',
    field: {
      container: '[id^="mouseArea__"]',
      label: '[id^="labelTD_"]',
      value: '[id^="value_"]',
      valueAttributes: ['lt-prop-value', 'cx-prop-value'],
    },
  },
  {
    // Microsoft EasyRepro (microsoft/EasyRepro, Api.UCI/DTO/AppElementReference.cs): a field is
    // `div[data-id="<field>-FieldSectionItemContainer"]`, its label `label[id$="-field-label"]`, its
    // control `[data-id="<field>.fieldControl-text-box-text"]`. The header repeats body fields;
    // detection keeps each cédula once.
    id: 'dynamics',
    name: 'Microsoft Dynamics 365',
    matches: ['https://*.dynamics.com/*'],
    signature: '[data-id$="-FieldSectionItemContainer"]',
    field: {
      container: '[data-id$="-FieldSectionItemContainer"]',
      label: 'label',
      value: 'input, [data-id$=".fieldControl-text-box-text"]',
    },
  },
  {
    // Public Pipedrive deal-page scripts and page objects read `[data-testid="fields-list-row"]`, the
    // label `[data-testid="field-name"]` and the value `[data-testid="fields-list-row-field-components"]`.
    id: 'pipedrive',
    name: 'Pipedrive',
    matches: ['https://*.pipedrive.com/*'],
    signature: '[data-testid="fields-list-row"]',
    field: {
      container: '[data-testid="fields-list-row"]',
      label: '[data-testid="field-name"]',
      value: '[data-testid="fields-list-row-field-components"]',
    },
  },
];
