// Every implemented action. An action of the spec that is not listed here answers that it is not implemented.
import type { ActionDef } from "../api/action.js";
import { deleteInstancesActionTimer, describeInstancesActionTimer, importInstancesActionTimer } from "./action-timers.js";
import { describeInstances, describeInstancesStatus } from "./describe-instances.js";
import { describeInstancesAttributes } from "./describe-instances-attributes.js";
import { createImage, deleteImages, describeImageSharePermission, modifyImageAttribute, modifyImageSharePermission } from "./custom-images.js";
import { exportImages } from "./image-export.js";
import { importImage, syncImages } from "./image-transfers.js";
import { describeImageFromFamily, describeImageQuota, describeImages, describeImportImageOs } from "./images.js";
import { modifyInstancesChargeType, modifyInstancesRenewFlag, renewInstances } from "./instance-billing.js";
import { associateInstancesKeyPairs, disassociateInstancesKeyPairs } from "./key-pair-bindings.js";
import { createKeyPair, deleteKeyPairs, describeKeyPairs, importKeyPair, modifyKeyPairAttribute } from "./key-pairs.js";
import { modifyInstancesAttribute, modifyInstancesProject } from "./modify-instances.js";
import { describeInstancesModification } from "./describe-instances-modification.js";
import { describeInstancesOperationLimit } from "./instance-limits.js";
import {
  describeInstanceFamilyConfigs,
  describeInstanceInternetBandwidthConfigs,
  describeInstanceTypeConfigs,
  describeInternetChargeTypeConfigs,
  describeZoneInstanceConfigInfos,
} from "./instance-type-configs.js";
import {
  inquiryPriceModifyInstancesChargeType,
  inquiryPriceRenewInstances,
  inquiryPriceResetInstance,
  inquiryPriceResetInstancesInternetMaxBandwidth,
  inquiryPriceResetInstancesType,
  inquiryPriceResizeInstanceDisks,
  inquiryPriceRunInstances,
  inquiryPriceTerminateInstances,
} from "./price-inquiry.js";
import { rebootInstances, startInstances, stopInstances, terminateInstances } from "./instance-power.js";
import { describeAccountQuota } from "./account-quota.js";
import { describeAccountBalance } from "./billing-balance.js";
import { describeBillDetail, describeBillResourceSummary } from "./billing-details.js";
import { describeBillSummaryByPayMode, describeBillSummaryByProduct, describeBillSummaryByRegion } from "./billing-summaries.js";
import {
  allocateAddresses,
  associateAddress,
  describeAddresses,
  describeAddressQuota,
  disassociateAddress,
  modifyAddressAttribute,
  modifyAddressesBandwidth,
  releaseAddresses,
  transformAddress,
} from "./addresses.js";
import { modifyInstancesVpcAttribute, resetInstancesInternetMaxBandwidth } from "./instance-network.js";
import { describeRegions, describeZones } from "./regions.js";
import { createSubnet, createSubnets, deleteSubnet, describeSubnets, modifySubnetAttribute } from "./subnets.js";
import { createVpc, deleteVpc, describeVpcs, modifyVpcAttribute } from "./vpcs.js";
import { resetInstance, resetInstancesPassword, resetInstancesType, resizeInstanceDisks } from "./reset-instances.js";
import { runInstances } from "./run-instances.js";
import { associateSecurityGroups, disassociateSecurityGroups } from "./security-group-bindings.js";
import {
  createSecurityGroupPolicies,
  deleteSecurityGroupPolicies,
  describeSecurityGroupPolicies,
  modifySecurityGroupPolicies,
  replaceSecurityGroupPolicies,
  replaceSecurityGroupPolicy,
} from "./security-group-policies.js";
import {
  createDefaultSecurityGroup,
  createSecurityGroup,
  createSecurityGroupWithPolicies,
  deleteSecurityGroup,
  describeSecurityGroupAssociationStatistics,
  describeSecurityGroups,
  modifySecurityGroupAttribute,
} from "./security-groups.js";
import { describeInstanceVncUrl } from "./vnc.js";

export const ACTIONS: readonly ActionDef[] = [
  describeRegions,
  describeZones,
  describeInstanceTypeConfigs,
  describeZoneInstanceConfigInfos,
  describeInstanceFamilyConfigs,
  describeInternetChargeTypeConfigs,
  describeInstanceInternetBandwidthConfigs,
  inquiryPriceRunInstances,
  inquiryPriceResetInstancesType,
  inquiryPriceResizeInstanceDisks,
  inquiryPriceResetInstance,
  inquiryPriceModifyInstancesChargeType,
  inquiryPriceRenewInstances,
  inquiryPriceResetInstancesInternetMaxBandwidth,
  inquiryPriceTerminateInstances,
  runInstances,
  describeInstances,
  describeInstancesStatus,
  startInstances,
  stopInstances,
  rebootInstances,
  terminateInstances,
  resetInstancesType,
  resetInstance,
  resizeInstanceDisks,
  resetInstancesPassword,
  describeInstancesOperationLimit,
  describeInstancesModification,
  describeInstanceVncUrl,
  modifyInstancesAttribute,
  modifyInstancesProject,
  modifyInstancesRenewFlag,
  renewInstances,
  modifyInstancesChargeType,
  describeInstancesAttributes,
  importInstancesActionTimer,
  describeInstancesActionTimer,
  deleteInstancesActionTimer,
  createKeyPair,
  importKeyPair,
  describeKeyPairs,
  deleteKeyPairs,
  modifyKeyPairAttribute,
  associateInstancesKeyPairs,
  disassociateInstancesKeyPairs,
  associateSecurityGroups,
  disassociateSecurityGroups,
  describeImages,
  describeImageFromFamily,
  describeImportImageOs,
  describeImageQuota,
  createImage,
  deleteImages,
  modifyImageAttribute,
  modifyImageSharePermission,
  describeImageSharePermission,
  syncImages,
  importImage,
  exportImages,
  createVpc,
  describeVpcs,
  modifyVpcAttribute,
  deleteVpc,
  createSecurityGroup,
  createSecurityGroupWithPolicies,
  createDefaultSecurityGroup,
  describeSecurityGroups,
  modifySecurityGroupAttribute,
  deleteSecurityGroup,
  describeSecurityGroupAssociationStatistics,
  createSecurityGroupPolicies,
  describeSecurityGroupPolicies,
  deleteSecurityGroupPolicies,
  replaceSecurityGroupPolicy,
  replaceSecurityGroupPolicies,
  modifySecurityGroupPolicies,
  createSubnet,
  createSubnets,
  describeSubnets,
  modifySubnetAttribute,
  deleteSubnet,
  allocateAddresses,
  describeAddresses,
  associateAddress,
  disassociateAddress,
  releaseAddresses,
  modifyAddressAttribute,
  modifyAddressesBandwidth,
  describeAddressQuota,
  transformAddress,
  modifyInstancesVpcAttribute,
  resetInstancesInternetMaxBandwidth,
  describeAccountQuota,
  describeAccountBalance,
  describeBillDetail,
  describeBillResourceSummary,
  describeBillSummaryByProduct,
  describeBillSummaryByRegion,
  describeBillSummaryByPayMode,
];
