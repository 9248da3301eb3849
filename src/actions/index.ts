// Every implemented action. An action of the spec that is not listed here answers that it is not implemented.
import type { ActionDef } from "../api/action.js";
import { deleteInstancesActionTimer, describeInstancesActionTimer, importInstancesActionTimer } from "./cvm/instances/action-timers.js";
import { describeInstances, describeInstancesStatus } from "./cvm/instances/describe-instances.js";
import { describeInstancesAttributes } from "./cvm/instances/describe-instances-attributes.js";
import { createImage, deleteImages, describeImageSharePermission, modifyImageAttribute, modifyImageSharePermission } from "./cvm/images/custom-images.js";
import { exportImages } from "./cvm/images/image-export.js";
import { importImage, syncImages } from "./cvm/images/image-transfers.js";
import { describeImageFromFamily, describeImageQuota, describeImages, describeImportImageOs } from "./cvm/images/images.js";
import { modifyInstancesChargeType, modifyInstancesRenewFlag, renewInstances } from "./cvm/instances/instance-billing.js";
import { associateInstancesKeyPairs, disassociateInstancesKeyPairs } from "./cvm/key-pairs/key-pair-bindings.js";
import { createKeyPair, deleteKeyPairs, describeKeyPairs, importKeyPair, modifyKeyPairAttribute } from "./cvm/key-pairs/key-pairs.js";
import { modifyInstancesAttribute, modifyInstancesProject } from "./cvm/instances/modify-instances.js";
import { describeInstancesModification } from "./cvm/instances/describe-instances-modification.js";
import { describeInstancesOperationLimit } from "./cvm/instances/instance-limits.js";
import {
  describeInstanceFamilyConfigs,
  describeInstanceInternetBandwidthConfigs,
  describeInstanceTypeConfigs,
  describeInternetChargeTypeConfigs,
  describeZoneInstanceConfigInfos,
} from "./cvm/catalog/instance-type-configs.js";
import {
  inquiryPriceModifyInstancesChargeType,
  inquiryPriceRenewInstances,
  inquiryPriceResetInstance,
  inquiryPriceResetInstancesInternetMaxBandwidth,
  inquiryPriceResetInstancesType,
  inquiryPriceResizeInstanceDisks,
  inquiryPriceRunInstances,
  inquiryPriceTerminateInstances,
} from "./cvm/instances/price-inquiry.js";
import { rebootInstances, startInstances, stopInstances, terminateInstances } from "./cvm/instances/instance-power.js";
import { describeAccountQuota } from "./cvm/catalog/account-quota.js";
import { describeAccountBalance } from "./billing/balance.js";
import { describeBillDetail, describeBillResourceSummary } from "./billing/details.js";
import { describeBillSummaryByPayMode, describeBillSummaryByProduct, describeBillSummaryByRegion } from "./billing/summaries.js";
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
} from "./vpc/addresses/addresses.js";
import { describeTaskResult } from "./vpc/addresses/tasks.js";
import { inquiryPriceRenewAddresses, modifyAddressesRenewFlag, modifyAddressInternetChargeType, renewAddresses } from "./vpc/addresses/monthly-addresses.js";
import { describeBandwidthPackages } from "./vpc/addresses/bandwidth-packages.js";
import { describeRouteTables, replaceRouteTableAssociation } from "./vpc/networks/route-tables.js";
import { describeUsedIpAddress } from "./vpc/networks/used-ip-addresses.js";
import { createAssistantCidr, deleteAssistantCidr, describeAssistantCidr, modifyAssistantCidr } from "./vpc/networks/assistant-cidrs.js";
import { modifyInstancesVpcAttribute, resetInstancesInternetMaxBandwidth } from "./cvm/instances/instance-network.js";
import { describeRegions, describeZones } from "./cvm/catalog/regions.js";
import { createSubnet, createSubnets, deleteSubnet, describeSubnets, modifySubnetAttribute } from "./vpc/networks/subnets.js";
import { createVpc, deleteVpc, describeVpcs, modifyVpcAttribute } from "./vpc/networks/vpcs.js";
import { resetInstance, resetInstancesPassword, resetInstancesType, resizeInstanceDisks } from "./cvm/instances/reset-instances.js";
import { runInstances } from "./cvm/instances/run-instances.js";
import { associateSecurityGroups, disassociateSecurityGroups } from "./cvm/instances/security-group-bindings.js";
import {
  createSecurityGroupPolicies,
  deleteSecurityGroupPolicies,
  describeSecurityGroupPolicies,
  modifySecurityGroupPolicies,
  replaceSecurityGroupPolicies,
  replaceSecurityGroupPolicy,
} from "./vpc/security-groups/security-group-policies.js";
import {
  createDefaultSecurityGroup,
  createSecurityGroup,
  createSecurityGroupWithPolicies,
  deleteSecurityGroup,
  describeSecurityGroupAssociationStatistics,
  describeSecurityGroups,
  modifySecurityGroupAttribute,
} from "./vpc/security-groups/security-groups.js";
import { describeInstanceVncUrl } from "./cvm/instances/vnc.js";
import { describeProductRegions, describeProducts, describeProductZones } from "./api/catalog/products.js";
import { describeResourceTags, describeResourceTagsByResourceIds, modifyResourceTags, tagResources, unTagResources } from "./tag/tags/resource-tags.js";
import { describeTagKeys, describeTags, describeTagValues, getResources, getTagKeys, getTags, getTagValues } from "./tag/tags/tag-listings.js";
import { allocateHosts, describeHosts, modifyHostsAttribute } from "./cvm/hosts/hosts.js";
import { inquiryPriceRenewHosts, renewHosts } from "./cvm/hosts/host-billing.js";
import {
  describeResourcePoolPackInstances,
  describeResourcePoolPacks,
  describeResourcePoolPackTypeConfigs,
  inquirePricePurchaseResourcePoolPacks,
  purchaseResourcePoolPacks,
  terminateResourcePoolPacks,
} from "./cvm/pool-packs/pool-packs.js";
import { createHpcCluster, deleteHpcClusters, describeHpcClusters, modifyHpcClusterAttribute } from "./cvm/hpc-clusters/hpc-clusters.js";
import { describeDiskConfigQuota, describeDisks } from "./cbs/disks/describe-disks.js";
import { attachDisks, detachDisks } from "./cbs/disks/disk-attachment.js";
import { modifyDiskAttributes, resizeDisk } from "./cbs/disks/disk-changes.js";
import { createDisks, terminateDisks } from "./cbs/disks/disk-purchase.js";
import { inquiryPriceCreateDisks, inquiryPriceRenewDisks, modifyDisksRenewFlag, renewDisk } from "./cbs/disks/disk-terms.js";
import { createSnapshot, deleteSnapshots, describeSnapshots } from "./cbs/snapshots/snapshots.js";
import { enterRescueMode, exitRescueMode } from "./cvm/instances/rescue-mode.js";
import { programFpgaImage } from "./cvm/instances/fpga.js";
import { convertOperatingSystems } from "./cvm/instances/convert-os.js";
import { modifyInstanceDiskType } from "./cvm/instances/disk-type.js";
import { describeTaskInfo, repairTaskControl } from "./cvm/maintenance/repair-tasks.js";
import { describeChcDeniedActions, describeChcHosts, modifyChcAttribute } from "./cvm/chc/chc-hosts.js";
import { configureChcAssistVpc, configureChcDeployVpc, modifyChcNetworkMode, removeChcAssistVpc, removeChcDeployVpc } from "./cvm/chc/chc-networks.js";
import {
  createLaunchTemplate,
  createLaunchTemplateVersion,
  deleteLaunchTemplate,
  deleteLaunchTemplateVersions,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  modifyLaunchTemplateDefaultVersion,
} from "./cvm/launch-templates/launch-templates.js";
import {
  createDisasterRecoverGroup,
  deleteDisasterRecoverGroups,
  deleteInstancesDisasterRecoverGroups,
  describeDisasterRecoverGroupQuota,
  describeDisasterRecoverGroups,
  modifyDisasterRecoverGroupAttribute,
  modifyInstancesDisasterRecoverGroup,
} from "./cvm/placement-groups/placement-groups.js";

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
  modifyAddressInternetChargeType,
  renewAddresses,
  inquiryPriceRenewAddresses,
  modifyAddressesRenewFlag,
  describeTaskResult,
  describeBandwidthPackages,
  describeRouteTables,
  replaceRouteTableAssociation,
  describeUsedIpAddress,
  createAssistantCidr,
  modifyAssistantCidr,
  describeAssistantCidr,
  deleteAssistantCidr,
  modifyInstancesVpcAttribute,
  resetInstancesInternetMaxBandwidth,
  describeAccountQuota,
  describeAccountBalance,
  describeBillDetail,
  describeBillResourceSummary,
  describeBillSummaryByProduct,
  describeBillSummaryByRegion,
  describeBillSummaryByPayMode,
  describeProducts,
  describeProductRegions,
  describeProductZones,
  describeResourceTagsByResourceIds,
  describeResourceTags,
  modifyResourceTags,
  tagResources,
  unTagResources,
  getResources,
  getTags,
  getTagKeys,
  getTagValues,
  describeTags,
  describeTagKeys,
  describeTagValues,
  allocateHosts,
  describeHosts,
  modifyHostsAttribute,
  renewHosts,
  inquiryPriceRenewHosts,
  createHpcCluster,
  describeHpcClusters,
  modifyHpcClusterAttribute,
  deleteHpcClusters,
  describeResourcePoolPackTypeConfigs,
  inquirePricePurchaseResourcePoolPacks,
  purchaseResourcePoolPacks,
  describeResourcePoolPacks,
  describeResourcePoolPackInstances,
  terminateResourcePoolPacks,
  describeDisks,
  describeDiskConfigQuota,
  createDisks,
  attachDisks,
  detachDisks,
  resizeDisk,
  modifyDiskAttributes,
  terminateDisks,
  inquiryPriceCreateDisks,
  inquiryPriceRenewDisks,
  renewDisk,
  modifyDisksRenewFlag,
  createSnapshot,
  describeSnapshots,
  deleteSnapshots,
  createLaunchTemplate,
  createLaunchTemplateVersion,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  modifyLaunchTemplateDefaultVersion,
  deleteLaunchTemplateVersions,
  deleteLaunchTemplate,
  createDisasterRecoverGroup,
  describeDisasterRecoverGroups,
  describeDisasterRecoverGroupQuota,
  modifyDisasterRecoverGroupAttribute,
  modifyInstancesDisasterRecoverGroup,
  deleteInstancesDisasterRecoverGroups,
  deleteDisasterRecoverGroups,
  enterRescueMode,
  exitRescueMode,
  programFpgaImage,
  convertOperatingSystems,
  describeTaskInfo,
  repairTaskControl,
  describeChcHosts,
  describeChcDeniedActions,
  modifyChcAttribute,
  configureChcAssistVpc,
  configureChcDeployVpc,
  removeChcAssistVpc,
  removeChcDeployVpc,
  modifyChcNetworkMode,
  modifyInstanceDiskType,
];
